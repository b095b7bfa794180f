"""Query parameters that track clicks and campaigns; canonical URLs drop them."""

from __future__ import annotations

# Dropped when the lowercased, percent-decoded name starts with one of these.
TRACKING_PREFIXES: tuple[str, ...] = (
    "utm_",  # Google Analytics campaign tags (utm_source, utm_medium, ...)
    "mtm_",  # Matomo campaigns
    "pk_",  # Piwik campaigns
    "hsa_",  # HubSpot ads
    "fb_",  # Facebook (fb_action_ids, fb_source, fb_ref, ...)
    "oly_",  # Omeda (oly_enc_id, oly_anon_id)
    "__hs",  # HubSpot (__hstc, __hssc, __hsfp)
)

# Dropped when the lowercased, percent-decoded name is exactly one of these.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        # ad click identifiers
        "fbclid",  # Facebook
        "gclid",  # Google Ads
        "gclsrc",
        "gbraid",
        "wbraid",
        "dclid",  # DoubleClick
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "twclid",  # X / Twitter
        "ttclid",  # TikTok
        "li_fat_id",  # LinkedIn
        "igshid",  # Instagram share
        "igsh",
        "srsltid",  # Google Merchant
        "s_kwcid",  # Adobe
        "ef_id",
        "rb_clickid",
        "zanpid",
        # e-mail and marketing automation
        "mc_cid",  # Mailchimp
        "mc_eid",
        "_hsenc",  # HubSpot
        "_hsmi",
        "mkt_tok",  # Marketo
        "vero_id",  # Vero
        "vero_conv",
        "ml_subscriber",  # MailerLite
        "ml_subscriber_hash",
        "oly_enc_id",
        "oly_anon_id",
        "wickedid",
        "_ke",  # Klaviyo
        # analytics and referral
        "_ga",
        "_gl",
        "ref_src",  # X / Twitter embeds
        "ref_url",
        "cmpid",  # campaign ids used by many publishers
        "ocid",  # Microsoft / MSN
        "icid",  # internal campaign id
        "ncid",
        "xtor",  # AT Internet (common on French sites)
        "at_medium",
        "at_campaign",
        "at_platform",
        "at_send_date",
        "at_recipient_id",
        "at_recipient_list",
        "smid",  # New York Times share id
        "smtyp",
        "sr_share",
        "spm",  # Alibaba
        "_openstat",
        "wt.mc_id",  # Webtrends
        "wt_mc_id",
        "s_cid",
        "trk",
        "trkcampaign",
        "cvid",
        "guccounter",  # Yahoo consent redirect
        "guce_referrer",
        "guce_referrer_sig",
        "__twitter_impression",
    }
)
