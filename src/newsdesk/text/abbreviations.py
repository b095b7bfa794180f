"""Abbreviations after which a period does not end a sentence, by language."""

from __future__ import annotations

_ENGLISH = """
Mr. Mrs. Ms. Mx. Messrs. Dr. Prof. Gen. Lt. Col. Maj. Capt. Cmdr. Adm. Sgt. Brig. Cpl. Pvt.
Sen. Rep. Gov. Pres. Amb. Rev. Hon. Supt. Det. Insp. St. Jr. Sr. Ave. Blvd. Rd. Mt. Ft. Bros.
vs. etc. approx. est. ca. cf. al. Inc. Ltd. Co. Corp. Cos. Plc. LLC. Dept. Univ. Assn. Fig.
No. Nos. Vol. vol. pp. ed. eds. Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec.
Mon. Tue. Tues. Wed. Thu. Thur. Thurs. Fri. Sat. Sun.
"""
_FRENCH = "M. MM. Mme. Mmes. Mlle. Mlles. Me. Pr. Dr. av. bd. env. p. ex. cf. St. Ste. nº. n°."
_GERMAN = """
Nr. bzw. usw. ca. Dr. Prof. Str. Hr. Fr. vgl. evtl. ggf. inkl. zzgl. Mio. Mrd. Jh. Abs. Art. Bd.
Tel. geb. gest. sog. ehem. Dipl. Ing.
"""
_SPANISH_PORTUGUESE_ITALIAN = """
Sr. Sra. Srta. Sres. Dña. Dra. Ud. Uds. Vd. núm. pág. aprox. Avda. Gral. Lic. Ing. Av. Exmo.
Sig. Sigg. Dott. Avv. ecc. pag.
"""
_RUSSIAN = """
г. гг. им. ул. д. пр. пер. обл. р. ст. см. стр. тыс. млн. млрд. руб. проф. акад. т. е. п. др.
"""


def _words(*blocks: str) -> frozenset[str]:
    return frozenset(word for block in blocks for word in block.split())


# Tokens compared as written (the final period included).
ABBREVIATIONS: frozenset[str] = _words(
    _ENGLISH, _FRENCH, _GERMAN, _SPANISH_PORTUGUESE_ITALIAN, _RUSSIAN
)

# Languages that write ordinal numbers as "3." ("am 3. Oktober"): digits then a period
# do not end a sentence there.
ORDINAL_PERIOD_LANGUAGES: frozenset[str] = frozenset(
    {"de", "da", "no", "nb", "nn", "fi", "cs", "sk", "pl", "hu"}
    | {"sl", "hr", "sr", "bs", "et", "lv", "lt", "is", "fo", "tr"}
)
