"""The fixed topic vocabulary and its multilingual lexicons; topic detection over story texts.

Keywords are written per language (the ten demo languages). Matching after normalisation
(NFKC, casefold, Arabic letter variants folded, punctuation and hyphens to spaces):
- Han/kana keywords (zh, ja) and Arabic keywords match as substrings;
- other keywords are word-prefix stems ("sanction" matches "sanctions", "sanctioned");
  a trailing "$" asks for a whole word ("oil$" does not match "oilseed"); multi-word keywords
  match the whole phrase, the last word as a prefix.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from newsdesk.text.words import is_spaceless

LANGUAGES = ("en", "fr", "de", "es", "pt", "ru", "zh", "ja", "ar", "hi")

# topic -> language -> keywords (written for Newsdesk; stems end where inflections begin)
LEXICONS: dict[str, dict[str, tuple[str, ...]]] = {
    "defence": {
        "en": ("defence", "defense", "military", "army", "navy", "naval", "submarine", "missile",
               "fighter jet", "warship", "frigate", "drones", "arms deal", "weapon", "shipyard",
               "armed forces"),
        "fr": ("défense", "militaire", "armée", "marine nationale", "sous marin", "missile",
               "drone", "armement", "frégate", "chantier naval", "forces armées"),
        "de": ("verteidigung", "militär", "armee", "marine", "u boot", "rakete", "drohne",
               "rüstung", "waffe", "fregatte", "werft", "streitkräfte", "bundeswehr"),
        "es": ("defensa", "militar", "ejército", "armada", "submarino", "misil", "dron",
               "armamento", "fragata", "astillero", "fuerzas armadas"),
        "pt": ("defesa", "militar", "exército", "marinha", "submarino", "míssil", "drone",
               "armamento", "fragata", "estaleiro", "forças armadas"),
        "ru": ("оборон", "военн", "армия", "армии", "флот", "подводн", "ракет", "беспилотник",
               "вооружени", "фрегат", "верф", "вмс"),
        "zh": ("国防", "军事", "军队", "海军", "潜艇", "导弹", "无人机", "武器", "军工", "护卫舰",
               "造船厂", "军方"),
        "ja": ("防衛", "国防", "軍事", "海軍", "潜水艦", "ミサイル", "無人機", "ドローン", "兵器",
               "武器", "造船所", "自衛隊"),
        "ar": ("دفاع", "عسكري", "الجيش", "البحريه", "غواص", "صاروخ", "صواريخ", "مسيره",
               "مسيرات", "اسلحه", "تسليح", "فرقاطه", "حوض بناء السفن"),
        "hi": ("रक्षा", "सैन्य", "सेना", "नौसेना", "पनडुब्बी", "मिसाइल", "ड्रोन", "हथियार",
               "युद्धपोत", "शिपयार्ड"),
    },
    "security-incidents": {
        "en": ("attack", "clash", "collision", "collided", "explosion", "bomb", "killed",
               "militant", "insurgen", "hijack", "pirate", "piracy", "coast guard",
               "water cannon", "incursion", "rammed", "jihadist"),
        "fr": ("attaque", "affrontement", "collision", "explosion", "bombe", "tués", "insurgé",
               "djihadiste", "jihadiste", "piraterie", "garde côtes", "canon à eau"),
        "de": ("angriff", "anschlag", "zusammenstoß", "kollision", "explosion", "bombe",
               "getötet", "miliz", "piraterie", "küstenwache", "wasserwerfer", "dschihadist"),
        "es": ("ataque", "enfrentamiento", "choque", "colisión", "explosión", "bomba", "muertos",
               "insurgente", "piratería", "guardacostas", "guardia costera", "cañón de agua",
               "yihadista"),
        "pt": ("ataque", "confronto", "colisão", "explosão", "bomba", "mortos", "insurgente",
               "pirataria", "guarda costeira", "canhão de água", "jihadista"),
        "ru": ("атак", "нападени", "столкновени", "столкнул", "взрыв", "погиб", "боевик",
               "пират", "береговой охран", "береговая охрана", "водомет", "водомёт"),
        "zh": ("袭击", "冲突", "相撞", "碰撞", "爆炸", "遇难", "武装分子", "海盗", "海警", "水炮",
               "撞击"),
        "ja": ("攻撃", "衝突", "爆発", "死亡", "武装勢力", "海賊", "海警", "海上保安", "放水",
               "襲撃"),
        "ar": ("هجوم", "هجمات", "اشتباك", "تصادم", "اصطدام", "انفجار", "مقتل", "قتلى", "مسلح",
               "قرصن", "خفر السواحل", "مدافع المياه", "خراطيم المياه"),
        "hi": ("हमल", "टक्कर", "झड़प", "विस्फोट", "मारे गए", "उग्रवादी", "समुद्री डकैती",
               "तटरक्षक", "पानी की बौछार"),
    },
    "sanctions": {
        "en": ("sanction", "embargo", "asset freeze", "frozen assets", "export control",
               "blacklist", "price cap", "shadow fleet", "designation"),
        "fr": ("sanction", "embargo", "gel des avoirs", "avoirs gelés", "contrôle des export",
               "liste noire", "plafonnement des prix", "plafond de prix", "flotte fantôme"),
        "de": ("sanktion", "embargo", "eingefroren", "vermögenswerte", "exportkontroll",
               "schwarze liste", "preisdeckel", "preisobergrenze", "schattenflotte"),
        "es": ("sanci", "embargo", "congelación de activos", "activos congelados",
               "control de exportaci", "lista negra", "tope de precio", "flota fantasma",
               "flota en la sombra"),
        "pt": ("sanç", "embargo", "congelamento de ativos", "ativos congelados",
               "controle de export", "lista negra", "teto de preço", "frota fantasma",
               "frota sombra"),
        "ru": ("санкци", "эмбарго", "заморож", "экспортного контрол", "экспортный контрол",
               "черный список", "чёрный список", "потолок цен", "теневой флот", "теневого флот",
               "теневым флот"),
        "zh": ("制裁", "禁运", "冻结资产", "资产冻结", "出口管制", "黑名单", "价格上限",
               "影子船队", "影子舰队"),
        "ja": ("制裁", "禁輸", "資産凍結", "輸出規制", "輸出管理", "上限価格", "影の船団",
               "シャドーフリート"),
        "ar": ("عقوب", "حظر", "تجميد الاصول", "تجميد اصول", "قيود التصدير",
               "القائمه السوداء", "سقف السعر", "سقف الاسعار", "اسطول الظل"),
        "hi": ("प्रतिबंध", "पाबंदी", "संपत्ति फ्रीज", "निर्यात नियंत्रण", "मूल्य सीमा",
               "छाया बेड़ा", "शैडो फ्लीट"),
    },
    "energy": {
        "en": ("oil$", "crude", "gas$", "natural gas", "lng$", "pipeline", "opec", "barrel",
               "refiner", "power grid", "electricity", "energy", "output cut", "gas transit"),
        "fr": ("pétrol", "brut$", "gaz$", "gnl$", "gazoduc", "oléoduc", "baril", "raffiner",
               "électricité", "énerg", "réseau électrique", "opep"),
        "de": ("öl$", "erdöl", "rohöl", "erdgas", "gas$", "lng$", "pipeline", "barrel",
               "raffinerie", "strom", "energie", "fördermenge", "förderkürz", "opec"),
        "es": ("petróle", "crudo", "gas$", "gnl$", "gasoduct", "oleoduct", "barril", "refiner",
               "electricidad", "energ", "red eléctrica", "opep"),
        "pt": ("petróle", "gás$", "gnl$", "gasoduto", "oleoduto", "barril", "refinar",
               "refinaria", "eletricidade", "energ", "rede elétrica", "opep"),
        "ru": ("нефт", "газопровод", "природного газ", "природный газ", "поставки газ",
               "поставок газ", "транзит газ", "транзита газ", "газов", "спг$", "баррел", "нпз$",
               "электроэнерг", "энергетик", "энергоснабж", "опек"),
        "zh": ("石油", "原油", "天然气", "液化天然气", "管道", "输气", "欧佩克", "桶", "炼油",
               "电力", "电网", "能源", "减产"),
        "ja": ("石油", "原油", "天然ガス", "液化天然ガス", "パイプライン", "バレル", "製油",
               "電力", "送電網", "エネルギー", "減産", "産油"),
        "ar": ("نفط", "النفط الخام", "غاز", "خط انابيب", "خطوط انابيب", "اوبك", "برميل",
               "مصفاه", "كهرباء", "الكهربا", "طاقه", "خفض الانتاج"),
        "hi": ("तेल", "कच्चा तेल", "गैस", "पाइपलाइन", "ओपेक", "बैरल", "रिफाइनरी", "बिजली",
               "ग्रिड", "ऊर्जा", "उत्पादन में कटौती"),
    },
    "trade": {
        "en": ("trade", "tariff", "export", "import$", "imports", "imported", "customs",
               "free trade", "wto$", "trade deal"),
        "fr": ("commerce", "commercia", "tarif douanier", "droits de douane", "exportation",
               "importation", "douan", "libre échange", "omc$"),
        "de": ("handel$", "handels", "welthandel", "zoll", "zölle", "export", "import$",
               "importe", "einfuhr", "ausfuhr", "freihandel", "wto$"),
        "es": ("comercio", "comercial", "arancel", "exportac", "importac", "aduan",
               "libre comercio", "omc$"),
        "pt": ("comércio", "comercial", "tarifa", "exportaç", "importaç", "alfândeg",
               "livre comércio", "omc$"),
        "ru": ("торгов", "пошлин", "экспорт", "импорт", "таможн", "свободной торговл", "вто$"),
        "zh": ("贸易", "关税", "出口", "进口", "海关", "自由贸易", "世贸"),
        "ja": ("貿易", "関税", "輸出", "輸入", "税関", "自由貿易", "世界貿易機関"),
        "ar": ("تجار", "رسوم جمركيه", "الجمارك", "صادرات", "واردات", "تصدير", "استيراد",
               "منظمه التجاره"),
        "hi": ("व्यापार", "शुल्क", "टैरिफ", "निर्यात", "आयात", "सीमा शुल्क", "मुक्त व्यापार"),
    },
    "supply-chains": {
        "en": ("supply chain", "shortage", "bottleneck", "backlog", "delay", "stranded",
               "logistics", "inventor", "supplier", "components"),
        "fr": ("chaîne d approvisionnement", "chaînes d approvisionnement", "approvisionnement",
               "pénurie", "goulet", "retard", "logistique", "fournisseur", "composants"),
        "de": ("lieferkette", "engpass", "engpäss", "lieferverzug", "verzöger", "logistik",
               "lieferant", "zuliefer", "bauteile"),
        "es": ("cadena de suministro", "cadenas de suministro", "suministro", "escasez",
               "cuello de botella", "retras", "logística", "proveedor", "componentes"),
        "pt": ("cadeia de abastecimento", "cadeias de abastecimento", "cadeia de suprimentos",
               "abasteciment", "escassez", "gargalo", "atras", "logística", "fornecedor",
               "componentes"),
        "ru": ("цепочки поставок", "цепочек поставок", "цепочка поставок", "дефицит", "задержк",
               "логистик", "поставщик", "комплектующ"),
        "zh": ("供应链", "短缺", "瓶颈", "延误", "物流", "供应商", "零部件", "积压", "滞留"),
        "ja": ("サプライチェーン", "供給網", "不足", "遅延", "物流", "供給業者", "部品", "滞留"),
        "ar": ("سلاسل التوريد", "سلسله التوريد", "سلاسل الامداد", "سلسله الامداد", "نقص",
               "اختناق", "تاخير", "تاخر", "لوجست", "موردين", "مكونات"),
        "hi": ("आपूर्ति श्रृंखला", "आपूर्ति", "कमी", "देरी", "लॉजिस्टिक्स", "आपूर्तिकर्ता",
               "पुर्जे", "पुर्ज़े"),
    },
    "semiconductors": {
        "en": ("semiconductor", "chip$", "chips", "chipmak", "wafer", "fab$", "fabs",
               "foundry", "foundries", "lithograph", "etching"),
        "fr": ("semi conducteur", "semiconducteur", "puce", "plaquette", "fonderie",
               "lithographie", "gravure"),
        "de": ("halbleiter", "chip", "wafer", "chipfabrik", "chipherstell", "lithografie",
               "lithographie", "foundry"),
        "es": ("semiconductor", "chip", "oblea", "litografía", "fábrica de chips"),
        "pt": ("semicondutor", "chip", "wafer", "litografia", "fábrica de chips"),
        "ru": ("полупроводник", "микросхем", "микрочип", "чип", "литограф", "пластин"),
        "zh": ("半导体", "芯片", "晶圆", "光刻", "代工", "晶片"),
        "ja": ("半導体", "チップ", "ウエハー", "ウェハー", "露光装置", "製造装置"),
        "ar": ("اشباه الموصلات", "اشباه موصلات", "رقائق", "الطباعه الحجريه"),
        "hi": ("सेमीकंडक्टर", "अर्धचालक", "चिप", "वेफर", "फैब"),
    },
    "shipping": {
        "en": ("shipping", "ship$", "ships", "shipment", "vessel", "container", "tanker",
               "freight", "port$", "ports", "terminal", "cargo", "maritime", "strait",
               "sea lane"),
        "fr": ("navire", "porte conteneurs", "conteneur", "pétrolier", "fret", "port$",
               "ports$", "maritime", "cargaison", "détroit", "transport maritime"),
        "de": ("schiff", "container", "tanker", "fracht", "hafen", "häfen", "reederei",
               "seeweg", "meerenge", "terminal"),
        "es": ("buque", "barco", "contenedor", "petrolero", "flete", "puerto", "naviera",
               "marítim", "carga$", "estrecho"),
        "pt": ("navio", "contêiner", "contentor", "petroleiro", "frete", "porto$", "portos",
               "marítim", "carga$", "estreito"),
        "ru": ("судоход", "судно", "судна$", "танкер", "контейнер", "фрахт", "порт$", "порта$",
               "порту$", "портов", "морск", "груз", "пролив"),
        "zh": ("航运", "船只", "船舶", "货船", "集装箱", "油轮", "运费", "港口", "码头", "海峡",
               "货物"),
        "ja": ("海運", "船舶", "貨物船", "コンテナ", "タンカー", "運賃", "港湾", "埠頭", "ふ頭",
               "海峡", "貨物"),
        "ar": ("سفن", "سفينه", "ناقله", "ناقلات", "حاويات", "الشحن", "ميناء", "موانئ", "بحري",
               "مضيق", "الملاحه"),
        "hi": ("जहाज", "नौवहन", "शिपिंग", "कंटेनर", "टैंकर", "माल ढुलाई", "बंदरगाह",
               "जलडमरूमध्य", "कार्गो"),
    },
    "elections": {
        "en": ("election", "vote$", "votes", "voting", "voter", "ballot", "polls", "candidate",
               "campaign", "electoral", "referendum", "opposition"),
        "fr": ("élection", "électoral", "scrutin", "vote$", "électeur", "candidat", "campagne",
               "référendum", "opposition"),
        "de": ("wahl", "abstimmung", "wähler", "kandidat", "wahlkampf", "referendum",
               "opposition"),
        "es": ("elecci", "electoral", "votac", "votante", "candidat", "campaña", "referéndum",
               "oposición"),
        "pt": ("eleiç", "eleitor", "eleitora", "votaç", "candidat", "campanha", "referendo",
               "oposição"),
        "ru": ("выборы", "выборов", "выборах", "голосовани", "избирател", "кандидат",
               "референдум", "оппозици"),
        "zh": ("选举", "大选", "投票", "选民", "候选人", "竞选", "公投", "反对党"),
        "ja": ("選挙", "投票", "有権者", "候補", "国民投票", "野党"),
        "ar": ("انتخاب", "اقتراع", "تصويت", "الناخبين", "مرشح", "استفتاء", "المعارضه"),
        "hi": ("चुनाव", "मतदान", "मतदाता", "उम्मीदवार", "प्रत्याशी", "जनमत संग्रह", "विपक्ष"),
    },
    "diplomacy": {
        "en": ("diplomat", "summit", "talks", "negotiat", "treaty", "agreement", "ambassador",
               "envoy", "mediat", "bilateral", "memorandum", "foreign minister"),
        "fr": ("diplomat", "sommet", "pourparlers", "négociat", "traité", "accord",
               "ambassadeur", "envoyé", "médiat", "bilatéral"),
        "de": ("diplomat", "gipfel", "gespräche", "verhandl", "vertrag", "abkommen",
               "botschafter", "gesandte", "vermittl", "bilateral", "außenminister"),
        "es": ("diplomát", "cumbre", "conversaciones", "negociac", "tratado", "acuerdo",
               "embajador", "enviado", "mediac", "bilateral", "canciller"),
        "pt": ("diplomát", "cúpula", "cimeira", "conversaç", "negociaç", "tratado", "acordo",
               "embaixador", "enviado", "mediaç", "bilateral", "chanceler"),
        "ru": ("дипломат", "саммит", "переговор", "соглашени", "договор", "посол", "посла$",
               "посредни", "двусторонн", "меморандум", "министр иностранных"),
        "zh": ("外交", "峰会", "会谈", "谈判", "条约", "协议", "大使", "特使", "调解", "双边"),
        "ja": ("外交", "首脳会談", "会談", "交渉", "条約", "協定", "合意", "大使", "特使", "仲介",
               "二国間"),
        "ar": ("دبلوماس", "قمه", "محادثات", "مفاوضات", "معاهده", "اتفاق", "سفير", "مبعوث",
               "وساطه", "ثنائي"),
        "hi": ("कूटनीति", "राजनयिक", "शिखर सम्मेलन", "वार्ता", "बातचीत", "संधि", "समझौत",
               "राजदूत", "मध्यस्थता", "द्विपक्षीय"),
    },
    "monetary-policy": {
        "en": ("central bank", "interest rate", "rate cut", "rate hike", "inflation",
               "monetary", "currency", "exchange rate", "devaluation", "basis points",
               "benchmark rate", "policy rate"),
        "fr": ("banque centrale", "taux directeur", "taux d intérêt", "inflation", "monétaire",
               "devise", "taux de change", "dévaluation", "points de base"),
        "de": ("zentralbank", "notenbank", "leitzins", "zinssenk", "zinserhöh", "inflation",
               "geldpolitik", "währung", "wechselkurs", "abwertung", "basispunkt"),
        "es": ("banco central", "tasa de interés", "tipo de interés", "tasa de referencia",
               "tipos de interés", "inflación", "monetari", "divisa", "tipo de cambio",
               "devaluación", "puntos básicos", "recorte de tasa"),
        "pt": ("banco central", "taxa de juros", "juros", "inflação", "monetári", "moeda",
               "câmbio", "desvaloriz", "pontos base", "pontos percentuais"),
        "ru": ("центробанк", "центральный банк", "центрального банк", "ключевая ставк",
               "ключевой ставк", "ключевую ставк", "инфляци", "денежно кредитн", "валют",
               "обменный курс", "девальвац", "базисных пункт"),
        "zh": ("央行", "中央银行", "利率", "降息", "加息", "通胀", "通货膨胀", "货币政策", "汇率",
               "贬值", "基点"),
        "ja": ("中央銀行", "中銀", "金利", "利下げ", "利上げ", "インフレ", "金融政策", "為替",
               "通貨", "切り下げ", "ベーシスポイント"),
        "ar": ("البنك المركزي", "سعر الفائده", "اسعار الفائده", "التضخم", "السياسه النقديه",
               "العمله", "سعر الصرف", "خفض الفائده", "نقطه اساس"),
        "hi": ("केंद्रीय बैंक", "ब्याज दर", "रेपो दर", "मुद्रास्फीति", "महंगाई", "मौद्रिक",
               "मुद्रा", "विनिमय दर", "अवमूल्यन", "आधार अंक"),
    },
    "markets": {
        "en": ("market", "stock market", "stocks", "shares$", "investor", "bond$", "bonds",
               "yield", "traders", "index", "rally", "sell off", "futures", "price$", "prices",
               "insurer", "premium"),
        "fr": ("marché", "bourse", "actions$", "investisseur", "obligation", "rendement",
               "indice", "cours$", "prix$", "assureur", "prime"),
        "de": ("markt", "märkte", "börse", "aktie", "anleger", "investor", "anleihe",
               "rendite", "händler", "index", "kurs", "preis", "versicherer", "prämie"),
        "es": ("mercado", "bolsa", "acciones", "inversor", "inversionista", "bono", "bonos",
               "rendimiento", "operadores", "índice", "cotizac", "precio", "asegurador",
               "prima"),
        "pt": ("mercado", "bolsa", "ações", "investidor", "títulos", "rendimento",
               "operadores", "índice", "cotaç", "preço", "segurador", "prêmio"),
        "ru": ("рынок", "рынка", "рынке", "рынки", "рынков", "бирж", "акци", "инвестор",
               "облигаци", "доходност", "трейдер", "индекс", "котировк", "цены", "цена",
               "страховщик", "премии"),
        "zh": ("市场", "股市", "股票", "投资者", "债券", "收益率", "交易员", "指数", "价格",
               "保险公司", "保费"),
        "ja": ("市場", "株価", "株式", "投資家", "債券", "利回り", "指数", "価格", "相場",
               "保険会社", "保険料"),
        "ar": ("الاسواق", "السوق", "البورصه", "الاسهم", "المستثمرين", "مستثمر", "السندات",
               "العائد", "المتداولين", "مؤشر", "الاسعار", "سعر", "شركات التامين"),
        "hi": ("बाजार", "बाज़ार", "शेयर", "निवेशक", "बॉन्ड", "प्रतिफल", "सूचकांक", "कीमत",
               "दाम", "भाव", "बीमा"),
    },
    "public-finance": {
        "en": ("imf$", "budget", "deficit", "debt", "bailout", "loan", "subsid", "fiscal",
               "austerity", "tax$", "taxes", "taxation", "world bank", "credit rating"),
        "fr": ("fmi$", "budget", "déficit", "dette", "plan de sauvetage", "prêt$", "prêts",
               "subvention", "fiscal", "austérité", "impôt", "banque mondiale"),
        "de": ("iwf$", "haushalt", "defizit", "schulden", "rettungspaket", "kredit",
               "darlehen", "subvention", "fiskal", "sparprogramm", "steuer", "weltbank"),
        "es": ("fmi$", "presupuest", "déficit", "deuda", "rescate", "préstamo", "subsidio",
               "subvenc", "fiscal", "austeridad", "impuesto", "banco mundial"),
        "pt": ("fmi$", "orçament", "déficit", "défice", "dívida", "resgate", "empréstimo",
               "subsídio", "fiscal", "austeridade", "imposto", "banco mundial"),
        "ru": ("мвф$", "бюджет", "дефицит", "долг", "кредит", "заем", "заём", "займ", "субсиди",
               "налог", "всемирный банк", "всемирного банк", "бюджетн"),
        "zh": ("国际货币基金组织", "预算", "赤字", "债务", "救助", "贷款", "补贴", "财政", "紧缩",
               "税收", "税率", "世界银行"),
        "ja": ("国際通貨基金", "予算", "赤字", "債務", "救済", "融資", "補助金", "財政", "緊縮",
               "増税", "世界銀行"),
        "ar": ("صندوق النقد الدولي", "الميزانيه", "الموازنه", "عجز", "الديون", "قرض", "دعم الوقود",
               "الدعم الحكومي", "ضريب", "البنك الدولي", "التقشف", "المال العام"),
        "hi": ("आईएमएफ", "अंतरराष्ट्रीय मुद्रा कोष", "बजट", "घाटा", "ऋण", "कर्ज", "बेलआउट",
               "सब्सिडी", "राजकोषीय", "विश्व बैंक"),
    },
    "commodities": {
        "en": ("commodit", "raw material", "brent", "spot price", "cocoa", "coffee", "soybean",
               "gold$", "metal prices", "benchmark crude"),
        "fr": ("matières premières", "matière première", "brent", "cacao", "café", "soja",
               "cours des métaux"),
        "de": ("rohstoff", "brent", "kakao", "kaffee", "soja", "gold", "metallpreis"),
        "es": ("materias primas", "materia prima", "brent", "cacao", "café", "soja", "oro$",
               "precios de los metales"),
        "pt": ("commodit", "matérias primas", "matéria prima", "brent", "cacau", "café",
               "soja", "ouro$"),
        "ru": ("сырь", "сырьев", "брент", "какао", "кофе", "соя$", "сои$", "золот",
               "биржевых товар"),
        "zh": ("大宗商品", "原材料", "布伦特", "可可", "咖啡", "大豆", "黄金", "期货"),
        "ja": ("商品市況", "原材料", "ブレント", "カカオ", "コーヒー", "大豆", "金相場", "先物"),
        "ar": ("السلع", "سلع اساسيه", "المواد الخام", "برنت", "الكاكاو", "البن", "فول الصويا",
               "الذهب", "العقود الاجله"),
        "hi": ("कमोडिटी", "जिंस", "कच्चा माल", "ब्रेंट", "कोको", "कॉफी", "सोयाबीन", "सोना"),
    },
    "mining": {
        "en": ("mining", "mine$", "mines", "miner", "lithium", "cobalt", "copper", "nickel",
               "rare earth", "ore$", "iron ore", "royalt", "concession", "smelter"),
        "fr": ("minier", "minière", "mine$", "mines$", "lithium", "cobalt", "cuivre", "nickel",
               "terres rares", "minerai", "redevance", "concession", "fonderie"),
        "de": ("bergbau", "mine$", "minen", "lithium", "kobalt", "kupfer", "nickel",
               "seltene erden", "erz$", "erze", "förderabgabe", "lizenzgebühr", "konzession"),
        "es": ("minería", "minero", "minera", "mina$", "minas", "litio", "cobalto", "cobre",
               "níquel", "tierras raras", "mineral", "regalía", "concesión"),
        "pt": ("mineraç", "mineradora", "minério", "mina$", "minas$", "lítio", "cobalto",
               "cobre", "níquel", "terras raras", "royalt", "concessão"),
        "ru": ("добыч", "горнодобыва", "рудник", "шахт", "лити", "кобальт", "медь", "меди$",
               "никел", "редкоземельн", "руда", "руды", "роялти", "концесси"),
        "zh": ("矿", "锂", "钴", "铜", "镍", "稀土", "特许权使用费", "冶炼"),
        "ja": ("鉱山", "鉱業", "採掘", "リチウム", "コバルト", "銅", "ニッケル", "レアアース",
               "鉱石", "製錬"),
        "ar": ("تعدين", "منجم", "مناجم", "ليثيوم", "الليثيوم", "كوبالت", "الكوبالت", "النحاس",
               "النيكل", "المعادن النادره", "خام الحديد", "امتياز", "مصهر"),
        "hi": ("खनन", "खदान", "लिथियम", "कोबाल्ट", "तांबा", "तांबे", "निकल", "दुर्लभ मृदा",
               "अयस्क", "रॉयल्टी"),
    },
    "ai-policy": {
        "en": ("artificial intelligence", "ai$", "ai model", "ai act", "ai safety",
               "machine learning", "language model", "llm", "generative", "chatbot",
               "algorithm", "foundation model", "model audit", "frontier model"),
        "fr": ("intelligence artificielle", "ia$", "algorithm", "génératif", "générative",
               "apprentissage automatique", "modèle de langage", "modèles d ia", "modèle d ia"),
        "de": ("künstliche intelligenz", "künstlicher intelligenz", "ki$", "algorithm",
               "generativ", "maschinelles lernen", "sprachmodell", "ki modell"),
        "es": ("inteligencia artificial", "ia$", "algoritm", "generativ",
               "aprendizaje automático", "modelo de lenguaje", "modelos de ia"),
        "pt": ("inteligência artificial", "ia$", "algoritm", "generativ",
               "aprendizado de máquina", "modelo de linguagem", "modelos de ia"),
        "ru": ("искусственного интеллект", "искусственный интеллект", "искусственным интеллект",
               "ии$", "нейросет", "алгоритм", "генеративн", "языковой модел", "языковых модел"),
        "zh": ("人工智能", "大模型", "大语言模型", "算法", "生成式", "机器学习", "模型审计",
               "ai模型", "ai监管"),
        "ja": ("人工知能", "生成ai", "大規模言語モデル", "アルゴリズム", "機械学習", "aiモデル",
               "ai規制", "ai監査", "ai法"),
        "ar": ("الذكاء الاصطناعي", "ذكاء اصطناعي", "خوارزم", "النماذج اللغويه", "التعلم الالي",
               "توليدي"),
        "hi": ("कृत्रिम बुद्धिमत्ता", "आर्टिफिशियल इंटेलिजेंस", "एआई", "एल्गोरिदम", "जनरेटिव",
               "मशीन लर्निंग", "भाषा मॉडल"),
    },
    "technology-regulation": {
        "en": ("regulat", "data protection", "privacy", "antitrust", "competition authority",
               "digital markets", "platform", "data centre", "data center", "cloud", "fine$",
               "fined", "compliance", "audit", "cybersecurity", "online safety", "big tech"),
        "fr": ("régulat", "réglementation", "protection des données", "vie privée", "antitrust",
               "centre de données", "centres de données", "plateforme", "cloud", "amende",
               "conformité", "audit", "cybersécurité"),
        "de": ("regulier", "datenschutz", "kartell", "wettbewerbsbehörde", "rechenzentr",
               "plattform", "cloud", "bußgeld", "geldbuße", "compliance", "prüfung", "audit",
               "cybersicherheit"),
        "es": ("regulac", "regulador", "protección de datos", "privacidad", "antimonopolio",
               "centro de datos", "centros de datos", "plataforma", "nube", "multa",
               "cumplimiento", "auditor", "ciberseguridad"),
        "pt": ("regulaç", "regulador", "proteção de dados", "privacidade", "antitruste",
               "data center", "centro de dados", "centros de dados", "plataforma", "nuvem",
               "multa", "conformidade", "auditori", "cibersegurança"),
        "ru": ("регулировани", "регулятор", "защиты данных", "персональных данных",
               "антимонопольн", "центр обработки данных", "центров обработки данных", "цод$",
               "дата центр", "платформ", "облачн", "штраф", "аудит", "кибербезопасност"),
        "zh": ("监管", "数据保护", "隐私", "反垄断", "数据中心", "平台", "云计算", "罚款", "合规",
               "审计", "网络安全"),
        "ja": ("規制", "データ保護", "個人情報", "独占禁止", "データセンター", "プラットフォーム",
               "クラウド", "罰金", "制裁金", "監査", "サイバーセキュリティ"),
        "ar": ("تنظيم", "الجهات التنظيميه", "حمايه البيانات", "الخصوصيه", "مكافحه الاحتكار",
               "مراكز البيانات", "مركز بيانات", "مركز البيانات", "منصات", "الحوسبه السحابيه",
               "غرامه", "امتثال", "تدقيق", "الامن السيبراني"),
        "hi": ("विनियमन", "नियामक", "डेटा संरक्षण", "निजता", "गोपनीयता", "प्रतिस्पर्धा आयोग",
               "डेटा सेंटर", "डेटा केंद्र", "प्लेटफॉर्म", "क्लाउड", "जुर्माना", "अनुपालन",
               "ऑडिट", "साइबर सुरक्षा", "नियम"),
    },
    "humanitarian": {
        "en": ("humanitarian", "refugee", "displaced", "aid$", "aid agencies", "famine",
               "hunger", "civilians", "relief", "evacuat", "unhcr", "red cross"),
        "fr": ("humanitaire", "réfugié", "déplacé", "aide humanitaire", "famine", "faim$",
               "civils", "secours", "évacu"),
        "de": ("humanitär", "flüchtling", "vertrieben", "hilfsorganisation", "hungersnot",
               "hunger", "zivilisten", "evaku"),
        "es": ("humanitari", "refugiad", "desplazad", "ayuda humanitaria", "hambruna",
               "hambre", "civiles", "evacu"),
        "pt": ("humanitári", "refugiad", "deslocad", "ajuda humanitária", "fome$", "civis",
               "evacu"),
        "ru": ("гуманитарн", "беженц", "переселенц", "голод", "мирных жител", "эвакуац"),
        "zh": ("人道主义", "难民", "流离失所", "援助", "饥荒", "饥饿", "平民", "撤离"),
        "ja": ("人道", "難民", "避難", "援助", "飢饉", "飢餓", "民間人"),
        "ar": ("انساني", "لاجئ", "نازح", "مساعدات", "مجاعه", "الجوع", "المدنيين", "اجلاء"),
        "hi": ("मानवीय", "शरणार्थी", "विस्थापित", "सहायता", "अकाल", "भुखमरी", "नागरिकों",
               "निकासी"),
    },
    "labour": {
        "en": ("strike$", "strikes", "striking", "walkout", "walked off", "labour", "labor",
               "trade union", "workers union", "unions", "wage", "picket", "layoff"),
        "fr": ("grève", "gréviste", "syndicat", "salaire", "salarié", "ouvrier", "travailleur",
               "licenciement"),
        "de": ("streik", "gewerkschaft", "lohn", "löhne", "beschäftigte", "arbeiter",
               "entlass"),
        "es": ("huelga", "sindicato", "salari", "trabajadores", "obreros", "despid"),
        "pt": ("greve", "grevista", "sindicato", "salári", "trabalhadores", "operários",
               "demiss"),
        "ru": ("забастовк", "бастую", "стачк", "профсоюз", "зарплат", "рабочи", "работник",
               "увольнени"),
        "zh": ("罢工", "工会", "工资", "工人", "裁员"),
        "ja": ("ストライキ", "労働組合", "労組", "賃金", "労働者", "解雇"),
        "ar": ("اضراب", "نقابه", "الاجور", "اجور", "العمال", "تسريح"),
        "hi": ("हड़ताल", "मजदूर संघ", "यूनियन", "मजदूरी", "वेतन", "कर्मचारी", "श्रमिक",
               "छंटनी"),
    },
    "food-security": {
        "en": ("grain", "wheat", "maize", "corn$", "rice$", "fertiliser", "fertilizer",
               "food prices", "food security", "harvest", "crop"),
        "fr": ("céréal", "blé$", "maïs", "riz$", "engrais", "sécurité alimentaire", "récolte",
               "prix alimentaires"),
        "de": ("getreide", "weizen", "mais$", "reis$", "dünger", "ernährungssicherheit",
               "ernte", "lebensmittelpreise"),
        "es": ("grano", "cereal", "trigo", "maíz", "arroz", "fertilizante",
               "seguridad alimentaria", "cosecha"),
        "pt": ("grão", "grãos", "cereais", "trigo", "milho", "arroz", "fertilizante",
               "segurança alimentar", "colheita"),
        "ru": ("зерн", "пшениц", "кукуруз", "рис$", "удобрени", "продовольств", "урожа"),
        "zh": ("粮食", "谷物", "小麦", "玉米", "大米", "化肥", "收成"),
        "ja": ("穀物", "小麦", "トウモロコシ", "コメ", "肥料", "食料安全保障", "収穫"),
        "ar": ("الحبوب", "حبوب", "القمح", "قمح", "الذره", "الارز", "الاسمده", "الامن الغذائي",
               "المحاصيل", "محصول"),
        "hi": ("अनाज", "गेहूं", "गेहूँ", "मक्का", "चावल", "उर्वरक", "खाद्य सुरक्षा", "फसल"),
    },
}  # fmt: skip

TOPICS: tuple[str, ...] = tuple(LEXICONS)

_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
# word characters: letters, digits and the combining marks Devanagari and Arabic words carry
_WORD = re.compile(r"[^\W_]+(?:[\u0300-\u036f\u0900-\u0903\u093a-\u094f\u0951-\u0957"
                   r"\u0962\u0963\u064b-\u065f\u0670][^\W_]*)*")  # fmt: skip


class UnknownTopic(ValueError):
    """A topic name is not in the fixed vocabulary."""


def normalise_text(text: str) -> str:
    """Fold a text for matching: NFKC, casefold, Arabic variants, words joined by one space."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).casefold())
    folded = _ARABIC_MARKS.sub("", folded).translate(_ARABIC_FOLD)
    return " " + " ".join(_WORD.findall(folded)) + " "


def _script_of(keyword: str) -> str:
    for ch in keyword:
        code = ord(ch)
        if is_spaceless(ch):
            return "cjk"
        if 0x0600 <= code <= 0x06FF:
            return "arabic"
    return "word"


def _compile_keyword(keyword: str) -> str:
    """The needle to find in normalised text: a bare substring, a word prefix or a word."""
    whole = keyword.endswith("$")
    norm = normalise_text(keyword.rstrip("$")).strip()
    script = _script_of(norm)
    if script == "cjk":
        return norm
    if script == "arabic":
        return norm
    return f" {norm} " if whole else f" {norm}"


@lru_cache(maxsize=1)
def _needles() -> dict[str, dict[str, tuple[str, ...]]]:
    """Compiled needles per language, per topic."""
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for topic, per_lang in LEXICONS.items():
        for lang, words in per_lang.items():
            out.setdefault(lang, {})[topic] = tuple(dict.fromkeys(map(_compile_keyword, words)))
    return out


def check_topic(name: str) -> str:
    """Return the topic name if it is in the vocabulary, else raise UnknownTopic."""
    if name not in LEXICONS:
        raise UnknownTopic(f"unknown topic {name!r}; known topics: {', '.join(TOPICS)}")
    return name


def count_topic_hits(text: str, language: str | None = None) -> dict[str, float]:
    """Weighted keyword hits per topic in one text (each keyword counts 1 + ln(occurrences))."""
    needles = _needles()
    if language in needles:
        langs = [language] if language == "en" else [language, "en"]
    else:
        langs = list(LANGUAGES)
    norm = normalise_text(text)
    hits: dict[str, float] = {}
    for lang in langs:
        for topic, words in needles[lang].items():
            for needle in words:
                n = norm.count(needle)
                if n:
                    hits[topic] = hits.get(topic, 0.0) + 1.0 + math.log(n)
    return hits


def detect_topics(
    texts: Iterable[str],
    languages: str | Sequence[str | None] | None = None,
    min_share: float = 0.02,
) -> dict[str, float]:
    """Topic shares (summing to 1) over texts: each text's hit distribution, averaged.

    Args:
        texts: the story's texts (headline, article leads or passages).
        languages: one ISO 639-1 hint for all texts, one per text, or None (try every lexicon).
        min_share: topics below this share are dropped before renormalising.
    Returns:
        {topic: share}, largest first; empty when no keyword matched.
    """
    items = list(texts)
    if isinstance(languages, str) or languages is None:
        hints: list[str | None] = [languages] * len(items)
    else:
        hints = list(languages) + [None] * (len(items) - len(languages))
    totals: dict[str, float] = {}
    counted = 0
    for text, lang in zip(items, hints, strict=False):
        hits = count_topic_hits(text, lang)
        mass = sum(hits.values())
        if not mass:
            continue
        counted += 1
        for topic, value in hits.items():
            totals[topic] = totals.get(topic, 0.0) + value / mass
    if not counted:
        return {}
    shares = {t: v / counted for t, v in totals.items() if v / counted >= min_share}
    mass = sum(shares.values()) or 1.0
    return dict(sorted(((t, v / mass) for t, v in shares.items()), key=lambda kv: (-kv[1], kv[0])))


def merge_topic_scores(scores: Mapping[str, float]) -> dict[str, float]:
    """Normalise caller-given topic scores to shares over known topics."""
    known = {check_topic(t): max(0.0, float(v)) for t, v in scores.items()}
    mass = sum(known.values())
    return {t: v / mass for t, v in known.items()} if mass else {}
