"""Word lists per language: speech and denial verbs, hedges, source cues, units and scales."""

from __future__ import annotations

# fmt: off
# (tables are packed by hand; the formatter would spread them over 1,000 lines)

# Verb forms per language, by stance. Regex fragments; each language's frames use them.
SPEECH: dict[str, dict[str, tuple[str, ...]]] = {
    'en': {
        'assert': (
            'said', 'says', 'told', 'added', 'stated', 'claimed', 'claims', 'alleged', 'alleges',
            'warned', 'warns', 'insisted', 'insists', 'maintained', 'argued', 'announced',
            'reported', 'estimated', 'estimates', 'put', 'puts', 'wrote', 'noted', 'explained',
            'accused', 'charged', 'called', 'saying', 'claiming', 'insisting', 'rejecting',
            'denying', 'cited', 'cites', 'quoted', 'models(?= a\\b)', 'assumes', 'projects',
            'calculates', 'show', 'shows', 'showed', 'predicted', 'forecast', 'stood by',
            'stands by', 'countered',
        ),
        'deny': (
            'denied', 'denies', 'rejecting', 'denying', 'dismissing', 'repeated its denial',
            'reiterated its denial', 'repeated his denial', 'renewed its denial', 'rejected',
            'rejects', 'dismissed', 'dismisses', 'refuted',
        ),
        'confirm': ('confirmed', 'confirms', 'acknowledged'),
        'dispute': (
            'disputed', 'disputes', 'contested', 'contests', 'challenged', 'questioned',
            'contradicted', 'contradicts',
        ),
    },
    'fr': {
        'assert': (
            'a déclaré', 'a affirmé', 'a assuré', 'a indiqué', 'a dit', 'a estimé', 'a souligné',
            'a précisé', 'a expliqué', 'a ajouté', 'a annoncé', 'a averti', 'a accusé',
            'a prévenu', 'a soutenu', 'a maintenu', 'affirme', 'assure', 'déclare', 'estime',
            'indique', 'soutient', 'maintient', 'avance', 'a avancé', 'a écrit', 'a rapporté',
            'a confié', "s'est dit", 's’est dit', 'a répété', 'a lancé', 'a promis', 'a réaffirmé',
            'en compte', 'évoque', 'parle de', 'explique', 'précise', 'ajoute', 'chiffre',
            'évalue',
        ),
        'deny': (
            'a démenti', 'dément', 'démentent', 'a nié', 'nie', 'a rejeté', 'rejette', 'a réfuté',
            'réfute', 'conteste', 'a contesté', 'ont démenti', 'ont nié',
        ),
        'confirm': ('a confirmé', 'confirme', 'ont confirmé'),
        'dispute': (),
    },
    'de': {
        'assert': (
            'sagte', 'sagten', 'sagt', 'erklärte', 'erklärten', 'erklärt', 'teilte mit', 'betonte',
            'warnte', 'behauptete', 'behauptet', 'berichtete', 'berichtet', 'berichten',
            'berichteten', 'sprechen', 'sprachen', 'schrieb',
            'kündigte an', 'bezifferte', 'beziffert', 'versicherte', 'räumte ein', 'sprach',
            'spricht', 'hieß es', 'heißt es', 'warf vor', 'fügte hinzu', 'beharrte',
        ),
        'deny': (
            'dementierte', 'dementiert', 'bestritt', 'bestreitet', 'wies zurück', 'weist zurück',
            'wiesen zurück', 'zurückgewiesen', 'dementiert',
        ),
        'confirm': ('bestätigte', 'bestätigt'),
        'dispute': ('widersprach', 'widerspricht', 'widersprachen'),
    },
    'es': {
        'assert': (
            'dijo', 'dice', 'afirmó', 'afirma', 'aseguró', 'asegura', 'señaló', 'declaró',
            'indicó', 'explicó', 'sostuvo', 'sostiene', 'advirtió', 'añadió', 'anunció',
            'denunció', 'acusó', 'estimó', 'cifró', 'cifra', 'insistió', 'reiteró', 'agregó',
        ),
        'deny': (
            'negó', 'niega', 'niegan', 'desmintió', 'desmiente', 'rechazó', 'rechaza', 'negaron',
            'desmintieron', 'rechazaron',
        ),
        'confirm': ('confirmó', 'confirma', 'confirmaron'),
        'dispute': ('cuestionó', 'cuestiona', 'refutó'),
    },
    'pt': {
        'assert': (
            'disse', 'diz', 'afirmou', 'afirma', 'declarou', 'informou', 'alertou', 'garantiu',
            'explicou', 'acrescentou', 'anunciou', 'acusou', 'sustentou', 'insistiu', 'estimou',
            'relatou', 'apontou', 'avaliou', 'reiterou', 'denunciou',
        ),
        'deny': (
            'negou', 'nega', 'negaram', 'desmentiu', 'desmente', 'rebateu', 'rejeitou', 'refutou',
        ),
        'confirm': ('confirmou', 'confirma', 'confirmaram'),
        'dispute': ('contestou', 'contesta', 'questionou'),
    },
    'ru': {
        'assert': (
            'заявил[аои]?', 'сообщил[аои]?', 'сказал[аои]?', 'отметил[аои]?', 'подчеркнул[аои]?',
            'утверждает', 'утверждают', 'утверждал[аои]?', 'предупредил[аои]?', 'пояснил[аои]?',
            'добавил[аои]?', 'рассказал[аои]?', 'заявляет', 'заявляют', 'настаивает',
            'настаивал[аои]?', 'оценил[аои]?', 'обвинил[аои]?', 'говорит', 'отмечает', 'считает',
            'говорится', 'сообщает', 'сообщается',
        ),
        'deny': (
            'опроверг(?:л[аои])?', 'опровергает', 'опровергл[аи]', 'отрицает', 'отрицают',
            'отверг(?:л[аои])?', 'отвергает', 'отклонил[аои]?',
            'назвал[аои]? (?:это )?(?:ложью|фейком|провокацией|беспочвенными|ложными)',
        ),
        'confirm': ('подтвердил[аои]?', 'подтверждает'),
        'dispute': ('оспорил[аои]?', 'оспаривает', 'возразил[аои]?', 'возражает'),
    },
    'zh': {
        'assert': (
            '表示', '称', '说', '指出', '强调', '声称', '透露', '宣称', '坚称', '认为', '警告',
            '介绍', '告诉', '发表声明说',
            '则称', '指控', '估计',
        ),
        'deny': ('否认', '驳斥', '否定', '反驳', '辟谣'),
        'confirm': ('证实', '确认'),
        'dispute': ('质疑',),
    },
    'ja': {
        'assert': (
            '述べた', '報じた', '報じている', '伝えた', '語った', '説明した', '強調した',
            '指摘した', '明らかにした', '主張した',
            '主張している', '発表した', '発表しており', 'している', '話した', '警告した', '訴えた',
            'としている', 'とした', '示した',
            '述べている',
        ),
        'deny': ('否定した', '否定している', '否認した', '反論した', '退けた'),
        'confirm': ('認めた', '確認した'),
        'dispute': ('疑問を呈した',),
    },
    'ar': {
        'assert': (
            'قال', 'قالت', 'يقول', 'تقول', 'أكد', 'أكدت', 'يؤكد', 'تؤكد', 'أعلن', 'أعلنت', 'ذكر',
            'ذكرت', 'أوضح', 'أوضحت', 'صرح', 'صرحت', 'أضاف', 'أضافت', 'زعم', 'زعمت', 'حذر', 'حذرت',
            'اتهم', 'اتهمت', 'أفاد', 'أفادت', 'قدّر', 'قدرت', 'قدّرت', 'يقدر', 'تقدر',
        ),
        'deny': ('نفى', 'نفت', 'ينفي', 'تنفي', 'رفض', 'رفضت', 'فند', 'فندت', 'كذب', 'كذبت'),
        'confirm': ('أكد صحة',),
        'dispute': ('شكك', 'شككت'),
    },
    'hi': {
        'assert': (
            'कहा', 'बताया', 'दावा किया', 'आरोप लगाया', 'चेतावनी दी', 'जानकारी दी', 'घोषणा की',
            'अनुमान लगाया',
        ),
        'deny': (
            'इनकार किया', 'इंकार किया', 'खंडन किया', 'ख़ारिज किया', 'खारिज किया', 'नकार दिया',
            'नकारा',
        ),
        'confirm': ('पुष्टि की',),
        'dispute': (),
    },
}

# "according to X" cues: (prefix forms where X follows, suffix forms where X precedes).
ACCORDING: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    'en': (('according to', 'citing'), ()),
    'fr': (('selon', "d'après", 'd’après', 'de source'), ()),
    'de': ((
            'laut', 'nach Angaben von', 'nach Angaben des', 'nach Angaben der', 'zufolge',
            'nach Darstellung des', 'nach Darstellung der', 'nach Informationen des',
            'nach Informationen der',
        ), ('zufolge',)),
    'es': (('según', 'de acuerdo con', 'citando a'), ()),
    'pt': (('segundo', 'de acordo com', 'conforme'), ()),
    'ru': ((
            'по словам', 'по данным', 'по информации', 'как сообщил', 'как сообщила', 'как заявил',
            'как заявила', 'по оценке', 'по оценкам', 'согласно',
        ), ()),
    'zh': (('据',), ()),
    'ja': ((), ('によると', 'によれば', 'の話では')),
    'ar': ((
            'وفقا ل', 'وفقاً ل', 'وفقا لـ', 'وفقاً لـ', 'بحسب', 'حسب', 'نقلا عن', 'نقلاً عن',
            'بحسب ما قال', 'وفق',
        ), ()),
    'hi': ((), ('के अनुसार', 'के मुताबिक', 'के मुताबिक़')),
}

# Subject pronouns: a speaker that is one of these is resolved to the last speaker named.
PRONOUNS: set[str] = {
    'ela', 'ele', 'eles', 'ella', 'elle', 'elles', 'ellos', 'er', 'he', 'il', 'ils', 'it', 'she',
    'sie', 'they', 'él', 'его', 'ее', 'её', 'их', 'он', 'она', 'они', 'उन्होंने', 'उसने', 'वह',
    '他', '他们', '同社', '她', '彼', '彼女',
}

HEDGES: dict[str, tuple[str, ...]] = {
    'en': (
        'may', 'might', 'could', 'reportedly', 'allegedly', 'possibly', 'likely', 'appears',
        'believed to', 'unconfirmed', 'would',
    ),
    'fr': (
        'pourrait', 'aurait', 'auraient', 'seraient', 'serait', 'possiblement', 'probablement',
        'prétendument',
    ),
    'de': (
        'soll', 'sollen', 'angeblich', 'möglicherweise', 'könnte', 'könnten', 'dürfte',
        'vermutlich', 'offenbar',
    ),
    'es': ('podría', 'habría', 'habrían', 'supuestamente', 'presuntamente', 'posiblemente'),
    'pt': ('poderia', 'teria', 'teriam', 'supostamente', 'possivelmente', 'provavelmente'),
    'ru': ('якобы', 'возможно', 'может', 'предположительно', 'вероятно'),
    'zh': ('可能', '据称', '疑似', '或将', '或许'),
    'ja': ('可能性', 'とみられる', 'ようだ', 'らしい', 'とされる'),
    'ar': ('ربما', 'قد', 'يعتقد', 'يُعتقد', 'يزعم', 'يُزعم', 'على ما يبدو'),
    'hi': ('शायद', 'संभवतः', 'कथित', 'संभव'),
}

# Words that turn a report into a rejection: "called it baseless", "the figure is wrong".
DISMISSALS: dict[str, tuple[str, ...]] = {
    'en': (
        'baseless', 'false', 'fabricated', 'untrue', 'wrong', 'inaccurate', 'fanciful', 'no such',
        'not on the table', 'nonsense', 'misleading', 'provocation', 'groundless', 'no talks',
        'never', 'not true',
    ),
    'fr': (
        'faux', 'fausse', 'infondé', 'infondée', 'fantaisiste', 'aucune', 'aucun', 'inexact',
        'mensonge',
    ),
    'de': ('falsch', 'haltlos', 'unbegründet', 'nicht zutreffend', 'unwahr', 'keine rede'),
    'es': ('falso', 'falsa', 'infundado', 'infundada', 'ningún', 'ninguna', 'no es cierto'),
    'pt': ('falso', 'falsa', 'infundado', 'infundada', 'nenhum', 'nenhuma', 'não é verdade'),
    'ru': ('ложь', 'ложн', 'фейк', 'провокац', 'беспочвен', 'никаких', 'не соответств'),
    'zh': ('捏造', '不实', '虚假', '并未', '不存在', '歪曲', '剪辑', '没有任何'),
    'ja': ('事実無根', '誤り', '根拠がない', '存在しない'),
    'ar': ('لا أساس', 'عار عن الصحة', 'غير صحيح', 'مفبرك', 'لم يعقد', 'لم يُعقد', 'لا يوجد'),
    'hi': ('बेबुनियाद', 'निराधार', 'गलत', 'ग़लत', 'झूठ', 'भ्रम', 'कोई बदलाव नहीं'),
}

ANONYMOUS: tuple[str, ...] = (
    'familiar with', 'sources', 'source', 'who asked not to be named', 'who declined to be named',
    'anonymity', 'not authorised', 'not authorized', 'officials said', 'diplomats',
    'sources proches', 'source proche', 'sous couvert', 'Quellen', 'Kreisen', 'Insider', 'fuentes',
    'fuente', 'fontes', 'fonte', 'источник', 'источники', 'собеседник', '消息人士', '知情人士',
    '不愿具名',
    '关系者', '関係者', '筋', 'مصادر', 'مصدر', 'सूत्र', 'सूत्रों',
)

BODIES: tuple[str, ...] = (
    'ministry', "ministry's", 'government', 'police', 'union', 'commission', 'office', 'council',
    'coast guard', 'navy', 'army', 'company', 'firm', 'embassy', 'agency', 'bank', 'authority',
    'spokesperson for', 'spokesman for', 'spokeswoman for', 'operator', 'regulator', 'ministère',
    'gouvernement', 'syndicat', 'commission', 'ambassade', 'entreprise', 'société', 'ministerium',
    'regierung', 'gewerkschaft', 'kommission', 'unternehmen', 'konzern', 'botschaft', 'behörde',
    'ministerio', 'gobierno', 'sindicato', 'comisión', 'embajada', 'empresa', 'cancillería',
    'ministério', 'governo', 'banco central', 'министерств', 'минобороны', 'мид', 'правительств',
    'профсоюз', 'компани', 'ведомств', '部', '政府', '公司', '工会', '海警', '委员会', '省',
    '政府', '組合', '会社',
    '当局', 'وزارة', 'الحكومة', 'الشرطة', 'نقابة', 'النقابة', 'الشركة', 'مفوضية', 'मंत्रालय',
    'सरकार', 'यूनियन', 'कंपनी', 'पुलिस', 'आयोग',
)

TITLES: tuple[str, ...] = (
    'minister', 'spokesman', 'spokeswoman', 'spokesperson', 'director', 'chief', 'ceo',
    'president', 'secretary', 'chairman', 'chairwoman', 'senator', 'mp', 'governor', 'general',
    'commodore', 'colonel', 'analyst', 'economist', 'adviser',
)


CURRENCY_PREFIXES: dict[str, str] = {
    'US$': 'USD', '$': 'USD', 'USD': 'USD', '€': 'EUR', 'EUR': 'EUR', '₹': 'rupee', 'Rs.': 'rupee',
    'Rs': 'rupee', 'R$': 'BRL', '£': 'GBP',
}

SCALES: dict[str, float] = {
    'thousand': 1000.0, 'million': 1000000.0, 'millions': 1000000.0, 'mn': 1000000.0,
    'm': 1000000.0, 'mln': 1000000.0, 'billion': 1000000000.0, 'billions': 1000000000.0,
    'bn': 1000000000.0, 'trillion': 1000000000000.0, 'crore': 10000000.0, 'lakh': 100000.0,
    'mille': 1000.0, 'milliard': 1000000000.0, 'milliards': 1000000000.0, 'md': 1000000000.0,
    'mds': 1000000000.0, 'tausend': 1000.0, 'tsd': 1000.0, 'million(en)': 1000000.0,
    'millionen': 1000000.0, 'mio': 1000000.0, 'milliarde': 1000000000.0,
    'milliarden': 1000000000.0, 'mrd': 1000000000.0, 'mil millones': 1000000000.0, 'mil': 1000.0,
    'millón': 1000000.0, 'millones': 1000000.0, 'billón': 1000000000000.0, 'milhão': 1000000.0,
    'milhões': 1000000.0, 'mi': 1000000.0, 'bilhão': 1000000000.0, 'bilhões': 1000000000.0,
    'bi': 1000000000.0, 'тыс': 1000.0, 'тысяч': 1000.0, 'тысячи': 1000.0, 'млн': 1000000.0,
    'миллион': 1000000.0, 'миллиона': 1000000.0, 'миллионов': 1000000.0, 'млрд': 1000000000.0,
    'миллиард': 1000000000.0, 'миллиарда': 1000000000.0, 'миллиардов': 1000000000.0,
    'трлн': 1000000000000.0, '千': 1000.0, '万': 10000.0, '亿': 100000000.0, '億': 100000000.0,
    '万亿': 1000000000000.0, '兆': 1000000000000.0, 'ألف': 1000.0, 'آلاف': 1000.0,
    'مليون': 1000000.0,
    'ملايين': 1000000.0, 'مليار': 1000000000.0, 'مليارات': 1000000000.0, 'हज़ार': 1000.0,
    'हजार': 1000.0, 'लाख': 100000.0, 'करोड़': 10000000.0, 'अरब': 1000000000.0, 'मिलियन': 1000000.0,
    'बिलियन': 1000000000.0,
}

WORD_NUMBERS: dict[str, int] = {
    'two': 2, 'three': 3, 'four': 4, 'five': 5, 'six': 6, 'seven': 7, 'eight': 8, 'nine': 9,
    'ten': 10, 'eleven': 11, 'twelve': 12, 'deux': 2, 'trois': 3, 'zwei': 2, 'drei': 3, 'dos': 2,
    'tres': 3, 'três': 3, 'два': 2, 'две': 2, 'три': 3, 'vier': 4, 'fünf': 5, 'sechs': 6,
    'sieben': 7, 'acht': 8, 'neun': 9, 'zehn': 10, 'zwölf': 12, 'quatre': 4, 'cinq': 5, 'sept': 7,
    'huit': 8, 'dix': 10, 'douze': 12, 'cuatro': 4, 'cinco': 5, 'seis': 6, 'siete': 7, 'ocho': 8,
    'diez': 10, 'doce': 12, 'quatro': 4, 'sete': 7, 'oito': 8, 'dez': 10, 'doze': 12, 'четыре': 4,
    'пять': 5, 'шесть': 6, 'семь': 7, 'десять': 10, 'двенадцать': 12, 'ثلاثة': 3, 'ثلاث': 3,
    'أربعة': 4, 'أربع': 4, 'خمسة': 5, 'خمس': 5, 'ستة': 6, 'ست': 6, 'سبعة': 7, 'ثمانية': 8,
    'تسعة': 9, 'عشرة': 10, 'عشر': 10, 'عشرين': 20, 'ثلاثين': 30, 'أربعين': 40, 'خمسين': 50,
    'مئة': 100, 'مائة': 100, 'مئتين': 200, 'مئتان': 200, 'مائتين': 200, 'مائتان': 200,
}

# Objects after "rejected" that make it a refusal, not a denial: "rejected the offer".
REFUSED_OBJECTS: tuple[str, ...] = (
    'offer', 'proposal', 'plan', 'deal', 'demand', 'offre', 'proposition', 'plan', 'angebot',
    'vorschlag', 'propuesta', 'oferta', 'proposta', 'предложени', '提议', '提案', '方案', 'عرض',
    'اقتراح', 'प्रस्ताव', '提案',
)

# Speakers that are really function words: "ce que confirme X", "как отметил X".
NON_SPEAKERS: set[str] = {
    'ce que', 'ce qui', 'das', 'lo que', 'o que', 'was', 'wie', 'как', 'что', 'это',
}

# Unit key -> regex alternatives (case-insensitive). "base@mult*" keys carry their own scale.
UNITS: dict[str, tuple[str, ...]] = {
    'pp': (
        'percentage points?', 'prozentpunkte?n?', 'points? de pourcentage', 'puntos porcentuales',
        'pontos? percentuais', 'процентн\\w* пункт\\w*', '个百分点',
    ),
    '%': (
        '%', '％', '٪', 'per ?cent', 'pour ?cent', 'prozent', 'por ?ciento', 'por ?cento',
        'процент\\w*', 'パーセント', 'في ?المئة', 'بالمئة', 'प्रतिशत',
    ),
    'bpd': (
        'barrels? (?:a|per) day', 'bpd', 'b/d', 'barils? (?:par|/) ?jour',
        'barrel (?:pro|am|täglich) ?tag?', 'barriles (?:diarios|al día|por día)',
        'barris (?:por|ao) dia', 'баррел\\w* в (?:сутки|день)', '桶/日', '桶每日', 'バレル',
        'برميل(?: يوميا| يومياً| في اليوم)', 'बैरल (?:प्रतिदिन|रोज़ाना)',
    ),
    'm3@1e9*': ('bcm', 'billion cubic met(?:re|er)s'),
    'm3': (
        'cubic met(?:re|er)s', '(?:de )?m(?:ètres)? ?cubes', 'm3', 'm³', 'kubikmeter',
        'metros cúbicos', 'кубометр\\w*', 'куб\\. ?м', '立方米', '立方メートル', 'متر مكعب',
        'घन मीटर',
    ),
    'container': (
        'containers?', 'boxes', 'teu', 'conteneurs?', 'container', 'boxen', 'contenedores',
        'contêineres', 'contentores', 'контейнер\\w*', '个集装箱', '集装箱', '本のコンテナ',
        'コンテナ', 'حاويات',
        'حاوية', 'कंटेनर',
    ),
    'vessel': (
        'vessels?', 'ships?', 'tankers?', 'navires?', 'pétroliers?', 'schiffe?', 'tanker',
        'öltanker', 'buques?', 'barcos?', 'petroleros?', 'navios?', 'petroleiros?', 'embarcações',
        'суд(?:ов|на|а)', 'танкер\\w*', 'кораб\\w*', '艘油轮', '艘船', '艘', '油轮', '船舶', '隻',
        'سفن',
        'سفينة', 'ناقلات', 'ناقلة', 'जहाज़?', 'टैंकर',
    ),
    'tonne': (
        'tonnes?', 'tons?', 'metric tons', 'tonnen', 'toneladas', 'тонн\\w*', '吨', 'トン', 'أطنان',
        'طن', 'टन',
    ),
    'MW@1e-3*': ('千瓦', 'kw', 'kilowatts?'),
    'MW': (
        'mw', 'megawatts?', 'мегаватт\\w*', 'мвт', '兆瓦', 'メガワット', 'ميغاواط', 'ميجاوات',
        'मेगावाट',
    ),
    'drone': (
        'drones?', 'drohnen', 'дрон\\w*', 'беспилотник\\w*', '架无人机', '无人机', '機のドローン',
        'ドローン',
        'طائرات مسيرة', 'مسيرات', 'ड्रोन',
    ),
    'hour': (
        'hours?', 'heures?', 'stunden', 'horas?', 'час\\w*', '小时', '時間', 'ساعات', 'ساعة',
        'घंटे',
    ),
    'day': ('days', 'jours', 'tage?n?', 'días', 'dias', 'дн(?:я|ей)', '天', '日間', 'أيام', 'दिन'),
    'people': (
        'people', 'persons', 'workers', 'employees', 'strikers', 'staff', 'protesters',
        'supporters', 'demonstrators', 'marchers', 'personnes', 'manifestants', 'travailleurs',
        'ouvriers', 'menschen', 'personen', 'demonstranten', 'beschäftigten?', 'arbeiter',
        'personas', 'trabajadores', 'manifestantes', 'pessoas', 'trabalhadores', 'человек',
        'рабочих', 'демонстрантов', '名工人', '名', '人', 'شخص', 'متظاهر', 'عامل',
        'أنصار\\w*', 'موقوف\\w*', 'لوگ', 'लोग', 'कर्मचारी', 'मज़दूर', 'मजदूर',
    ),
    'USD': ('dollars?', 'dólares', 'dollar', 'доллар\\w*', '美元', 'ドル', 'دولار', 'डॉलर'),
    'EUR': ('euros?', 'евро', '欧元', 'ユーロ', 'يورو', 'यूरो'),
    'rupee': (
        'rupees', 'rupien', 'roupies', 'rupias', 'रुपये', 'रुपए', 'руп\\w*', '卢比', 'ルピー', 'روبية',
    ),
    'XOF': ('cfa francs?', 'francs? cfa', 'fcfa', 'франк\\w* кфа'),
    'BRL': ('reais', 'reales', '雷亚尔', 'レアル'),
}

# Negation markers: a negated statement against a matching positive one is a rival account.
NEGATIONS: dict[str, str] = {
    'en': "\\b(?:not|no|never|nothing|none|neither)\\b|n't\\b",
    'fr': "\\b(?:ne|n'|n’|pas|jamais|aucune?|rien)\\b",
    'de': '\\b(?:nicht|kein|keine|keinen|keiner|keinem|keines|nie|niemals)\\b',
    'es': '\\b(?:no|nunca|ningún|ninguna|nada)\\b',
    'pt': '\\b(?:não|nunca|nenhum|nenhuma|nada)\\b',
    'ru': '(?<!\\w)(?:не|нет|никаких|никогда|ни)(?!\\w)', 'zh': '不|没有|并未|未|无',
    'ja': 'ない|なかった|ません|否定', 'ar': '(?<!\\w)(?:لا|لم|لن|ليس|ليست)(?!\\w)',
    'hi': 'नहीं|न कि|कभी नहीं',
}

# fmt: on
