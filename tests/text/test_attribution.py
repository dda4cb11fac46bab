"""Kind, verb and speaker of quotations, on sentences written for these tests.

Every expected value was decided by reading the sentence under the annotation
guidelines (docs/annotation.md, layer 2): the speaker as the text names them, in
the fullest form the document gives, without titles; a pronoun → its referent; a
relayed statement → whose words they are; a quoted evaluation → speech of the one
who evaluates; a quoted name → a term.
"""

from __future__ import annotations

import pytest

from analysis.engine import analyse_text
from analysis.text.quotes import Mark, pair_marks


def quotes(text: str) -> list[tuple[str, str, str]]:
    q = analyse_text(text, "t").quotes
    return list(zip(q.text, q.kind, q.speaker, strict=True))


def speakers(text: str) -> list[str]:
    return [speaker for _, _, speaker in quotes(text)]


# --- the verb carries the subject: the speaker is the referent -------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # وأضاف has no subject after it: the minister named in the sentence before.
        (
            "قال الوزير أحمد سالم: «سنواصل العمل من أجل السلام». وأضاف: «لن نتراجع عن مواقفنا».",
            ["أحمد سالم", "أحمد سالم"],
        ),
        # A feminine verb refers back over a man named in between to the woman.
        (
            "وقالت الوزيرة ليلى حسن: «نريد حلا عادلا للجميع». ورد عمر خالد على الاتهامات. "
            "وأضافت: «لن نقبل بأقل من ذلك أبدا».",
            ["ليلى حسن", "ليلى حسن"],
        ),
        # Words of a verb inside a quotation are no attribution: إذا استخدم is no speaker.
        (
            "وقالت هايلي: «تحدثت مع الرئيس، وقال إذا استخدم النظام الغاز سنرد». "
            "وأضافت: «رئيسنا سيطبق الخط الأحمر».",
            ["هايلي", "هايلي"],
        ),
        # قال فيها: the preposition is no subject; the one who posted the tweet speaks.
        (
            "ونشر وزير الدولة أنور قرقاش تغريدة قال فيها: «نقف مع المغرب في قضاياه الوطنية».",
            ["أنور قرقاش"],
        ),
        # المصدر ذاته refers back to the source named before.
        (
            "وأفاد رئيس دائرة الغابات محمد دبابي بأن الأشغال انتهت. "
            "وأضاف المصدر ذاته أن «المشروع سيكتمل قريبا في كل الولايات».",
            ["محمد دبابي"],
        ),
        # الذي قال: the relative pronoun's antecedent speaks.
        (
            "وكان في استقباله السكرتير الاسكتلندي ديفيد مونديل الذي قال إن "
            "«الزيارة فرصة لتعزيز الروابط بين البلدين».",
            ["ديفيد مونديل"],
        ),
        # The subject written before the verb.
        ("لكن أمير قطر قال خلال اللقاء: «لن نتسامح مع من يمول الإرهاب».", ["أمير قطر"]),
        # A paragraph that is only a quotation goes on with the speaker before it.
        (
            "وتضيف لورا: «أشعر أنني أقوى الآن».\n«الأصوات لم تعد تسيطر علي».",
            ["لورا", "لورا"],
        ),
    ],
)
def test_a_pronoun_subject_is_the_speaker_named_before(text, expected) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # قائلا attaches to the clause of أعلن: its subject speaks; the fragment is speech.
        (
            "وأعلن ترامب عن الضربات، قائلا إن الحلفاء «حشدوا قوتهم».",
            [("حشدوا قوتهم", "speech", "ترامب")],
        ),
        (
            "وشددت الوزيرة فيديريكا موغيريني على أن «الحل سياسي»، معتبرة أن «الحرب لن تحسم شيئا».",
            [
                ("الحل سياسي", "speech", "فيديريكا موغيريني"),
                ("الحرب لن تحسم شيئا", "speech", "فيديريكا موغيريني"),
            ],
        ),
    ],
)
def test_a_participle_speaks_for_the_subject_of_its_clause(text, expected) -> None:
    assert quotes(text) == expected


# --- what stands between the verb and the name -------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title with its complement before the name
        (
            "وقال الرئيس المشترك لمجلس سوريا الديمقراطية رياض درار «نعمل للوصول إلى حل».",
            ["رياض درار"],
        ),
        # the name between commas after the title, then the object of ووصفت
        (
            "ووصفت مبعوثة الولايات المتحدة، نيكي هايلي، الضربات بأنها «مبررة ومتناسبة».",
            ["نيكي هايلي"],
        ),
        # a prepositional phrase between the subject and the quotation; the full name
        # given before, where the object تركيا follows it
        (
            "وهدد نائب الرئيس الأمريكي مايك بنس تركيا بعقوبات. "
            "وقال بنس في مقابلة تلفزيونية «سنفرض عقوبات كبيرة عليها».",
            ["مايك بنس"],
        ),
        # the name ends before a preposition attached to the next word
        ("وقالت لورا مولدنغ لبرنامج إذاعي «كان الأمر مخيفا جدا».", ["لورا مولدنغ"]),
        # a circumstantial participle ends the name
        (
            "وقال منصور متوجها إلى رئيس الاتحاد: «سأقول للعالم كله كيف نجحت».",
            ["منصور"],
        ),
        # titles are not part of the name
        ("وقالت الدكتورة سارة باري «الأطفال يرون الأصوات جزءا منهم».", ["سارة باري"]),
        (
            "وصرحت المتحدثة ماريا زاخاروفا أن «تأمين المساعدات لا يمكن أن يكون مشروطا».",
            ["ماريا زاخاروفا"],
        ),
    ],
)
def test_the_name_after_titles_and_phrases(text, expected) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the full name is given before any quotation
        (
            "التقى الرئيس الأمريكي دونالد ترامب بنظيره. وقال ترامب «كان لقاء جيدا جدا».",
            ["دونالد ترامب"],
        ),
        # a woman with the same family name is another person: قالت takes her full
        # name, قال does not
        (
            "حصلت إيفانكا ترامب على ترخيص جديد. وقالت ترامب «أنا سعيدة بهذا القرار». "
            "وقال ترامب «هذا اتفاق جيد جدا للبلدين».",
            ["إيفانكا ترامب", "ترامب"],
        ),
        # a first name alone takes the family name given with it
        (
            "وقالت لورا مولدنغ لبرنامج إذاعي «كان الأمر مخيفا جدا». "
            "وقالت لورا «كنت أعاني كثيرا في تلك الفترة»",
            ["لورا مولدنغ", "لورا مولدنغ"],
        ),
        # a family name with the article, after a single first name
        (
            "وقال بشار الجعفري، مندوب سوريا، إن الدول الغربية «كاذبة ومنافقة». "
            "وأضاف الجعفري «لن نقبل بهذا العدوان على بلدنا».",
            ["بشار الجعفري", "بشار الجعفري"],
        ),
        # a title alone: the person named before with that title
        (
            "ووصف المخرج اللبناني زياد دويري الترشيح بأنه «إنجاز للبنان كله». "
            "وأكد المخرج «ما كنا وصلنا إلى هنا لولا الفريق».",
            ["زياد دويري", "زياد دويري"],
        ),
    ],
)
def test_the_fullest_name_in_the_document(text, expected) -> None:
    assert speakers(text) == expected


# --- verbs of evaluation and demand ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("واتهمت الوزارة الحكومة بـ«التقصير».", [("التقصير", "speech", "الوزارة")]),
        ("وحذرت الحكومة من «التصعيد».", [("التصعيد", "speech", "الحكومة")]),
        # an object pronoun on the verb
        (
            "وتحدث التقرير عن طرق تعذيب وصفتها المنظمة بـ«الوحشية».",
            [("الوحشية", "speech", "المنظمة")],
        ),
        # the predicate of اعتبرتها is no subject: the pronoun refers to تركيا
        (
            "ورحبت تركيا بالضربات واعتبرتها ردا «مناسبا».",
            [("مناسبا", "speech", "تركيا")],
        ),
    ],
)
def test_a_quoted_evaluation_is_speech_of_who_evaluates(text, expected) -> None:
    assert quotes(text) == expected


def test_a_short_fragment_of_a_reported_clause_is_speech() -> None:
    text = "قال الرئيس الروسي فلاديمير بوتين إن الرئيس الأمريكي «محق بعض الشيء»."
    assert quotes(text) == [("محق بعض الشيء", "speech", "فلاديمير بوتين")]


# --- speakers named by a noun ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وجاء القرار، بحسب البيان «بناء على شكوى رسمية».", ["البيان"]),
        # the author of the statement that reports the words
        (
            "وجاء ذلك عقب دعوات حذرت من «الثقافة الدينية التكفيرية»، حسب بيان أصدره القصر الملكي.",
            ["القصر الملكي"],
        ),
        # relayed words belong to those the agency relays them from
        (
            "ونقلت الوكالة عن مصادر ميدانية: «الجيش استعاد عدة مواقع جديدة».",
            ["مصادر ميدانية"],
        ),
        # an unnamed speaker: the noun phrase without what follows it
        ("وقال بيان صادر عن الوقفة إن «رمضان الرابع يأتي والمئات في السجون».", ["بيان"]),
    ],
)
def test_speakers_named_by_a_noun(text, expected) -> None:
    assert speakers(text) == expected


# --- names in quotation marks ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ذكرت مجلة «فوربس» الأميركية أن ثروته تراجعت.", [("فوربس", "term", "")]),
        # the quoted name is the subject: أن follows it
        ("وأوضحت «فوربس» أن ثروته تراجعت كثيرا.", [("فوربس", "term", "")]),
        # a four-word name after a noun that introduces names
        (
            "وشاركوا في معرض «سيتي سكيب جلوبال 2018» العقاري.",
            [("سيتي سكيب جلوبال 2018", "term", "")],
        ),
        # the group is named by the quotation: that name speaks the second one
        (
            "وقالت مجموعة «مواطنون من أجل المسؤولية» إن تلك "
            "«ليست المرة الأولى التي يحدث فيها ذلك».",
            [
                ("مواطنون من أجل المسؤولية", "term", ""),
                ("ليست المرة الأولى التي يحدث فيها ذلك", "speech", "مواطنون من أجل المسؤولية"),
            ],
        ),
    ],
)
def test_quoted_names_are_terms(text, expected) -> None:
    assert quotes(text) == expected


def test_a_doubled_opening_mark_counts_once() -> None:
    # tokens 0 and 1 are two marks with no word between (3 words before both); 5
    # closes the quotation after two more words
    marks = [Mark(0, '"', 0, False, 3), Mark(1, '"', 0, False, 3), Mark(5, '"', 0, True, 5)]
    assert pair_marks(marks) == [(1, 5)]


# --- round 2: words that look like verbs, and names in apposition -------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # مشروع نقل: the verbal noun after a noun is no verb; واصفا speaks for ترامب
        (
            "وكان ترامب قد ألغى زيارته، واصفا مشروع نقل السفارة بأنه «صفقة سيئة».",
            ["ترامب"],
        ),
        # بين before a quotation is 'between': the أن after the quotation is another's
        (
            "أما وزير الثقافة، مات هانكوت، فقال إن العلاقات بين بريطانيا والولايات المتحدة "
            "«أقوى من أي شخص»، وعلينا أن «نؤثر في أقوى اقتصاد».",
            ["مات هانكوت", "مات هانكوت"],
        ),
        # تصريحات نقلتها الوكالة: the agency passes on the words of قال's subject
        (
            "وقال الرزاز في تصريحات نقلتها وكالة عمون، إن «هناك توافقا على سحب القانون».",
            ["الرزاز"],
        ),
    ],
)
def test_a_verb_form_that_does_not_introduce_the_words(text, expected) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a title of courtesy before the name in apposition is left out
        (
            "وعبر السفير البريطاني في واشنطن، السير كيم داروش، عن «سعادته» بالزيارة.",
            ["كيم داروش"],
        ),
        # a hashtag in apposition is the name, as written
        (
            "ورحبت السفيرة الأميركية، #نيكي_هيلي، بالعقوبات، معتبرة أن الخطوة «تاريخية».",
            ["نيكي_هيلي"],
        ),
        # words after a comma that the next word does not close are no apposition
        (
            "وبحسب متحدث باسم الجيش، انتهت عملية البحرية بنجاح. "
            "وأوضح المتحدث أن العملية «استكملت دون أحداث استثنائية».",
            ["المتحدث"],
        ),
    ],
)
def test_a_name_in_apposition(text, expected) -> None:
    assert speakers(text) == expected


def test_a_verb_of_stance_attributes_its_object() -> None:
    text = "أبدى الاتحاد الأوروبي «شكوكا خطيرة» إزاء سيطرة الشركة."
    assert quotes(text) == [("شكوكا خطيرة", "speech", "الاتحاد الأوروبي")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # letters of a foreign name that look like a pronoun (ني) or a preposition (كال)
        (
            "ويقول بن هاريس كويني، مدير مركز البحث، إن الزيارة «ستثير احتجاجات كثيرة».",
            ["بن هاريس كويني"],
        ),
        ("وقال دانيال كالفيلو لرويترز «حملت حياة جديدة اليوم».", ["دانيال كالفيلو"]),
        # a rare family name in -ي is the name, not a nisba describing صورة
        (
            "ونشر البرادعي صورة له مع باشيليت، قائلا إنها التقطت «في سانتياغو».",
            ["البرادعي"],
        ),
        # a description (noun and nisba) before a rare name
        (
            "ويعتقد الاقتصادي الأردني زيان زوانة أن ما حصل في البلاد «حمل دروسا فارقة».",
            ["زيان زوانة"],
        ),
        # the full name given after a nisba joined by و
        (
            "وأقر وزيرا الخارجية الأمريكي مايك بومبيو والتركي مولود تشاوش أوغلو خارطة طريق. "
            "وأوضح تشاوش أوغلو أن «هدف الخارطة هو إخراج الوحدات من المدينة».",
            ["مولود تشاوش أوغلو"],
        ),
    ],
)
def test_names_that_look_like_other_words(text, expected) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a statement issued by a group speaks for it, and وأضافت refers to the group
        (
            "وذكر بيان صادر عن إيتا: «نعلم أننا سببنا آلاما للكثيرين». "
            "وأضافت: «نود التعبير عن احترامنا للضحايا».",
            ["إيتا", "إيتا"],
        ),
        # وجاء في البيان: the words stand in the statement
        ("وجاء في البيان أن الحكومة «ستواصل دعم الأسر المتضررة».", ["البيان"]),
        # a word of time after the verb is no subject: the name before the verb speaks
        (
            "مع أن الرئيس الإيراني حسن روحاني صرح يوم الخميس أن «إيران لا تريد مزيدا من التوترات».",
            ["حسن روحاني"],
        ),
    ],
)
def test_documents_and_subjects_before_the_verb(text, expected) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the noun before بأنه is what is described: the pronoun of ووصف speaks
        (
            "ورحب وزير الخارجية البريطاني، بوريس جونسون، بالزيارة، ووصف الخبر بأنه «رائع».",
            [("رائع", "speech", "بوريس جونسون")],
        ),
        # the predicate after a long object, and a quotation و joins to it
        (
            "اعتبر وزير الخارجية الإيراني، محمد جواد ظريف، الحكم الصادر عن محكمة العدل "
            "الدولية «هزيمة أخرى» للحكومة الأمريكية و«انتصارا لسيادة القانون».",
            [
                ("هزيمة أخرى", "speech", "محمد جواد ظريف"),
                ("انتصارا لسيادة القانون", "speech", "محمد جواد ظريف"),
            ],
        ),
        # the estimate comes long after the verb, but close after its subject
        (
            "وقدر قائد المجلس العسكري محمد مصطفى أبو عادل عدد المستشارين الأكراد "
            "الموجودين حاليا في المدينة بـ«العشرات».",
            [("العشرات", "speech", "محمد مصطفى أبو عادل")],
        ),
    ],
)
def test_what_a_verb_of_evaluation_attributes(text, expected) -> None:
    assert quotes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # رئيس البلدية is the one named after رئيس بلدية, not after الرئيس
        (
            "أعرب رئيس بلدية نيويورك بيل دي بلازيو عن صدمته. "
            "وقال الرئيس دونالد ترامب إن «الأمر مبالغ فيه». "
            "وقال رئيس البلدية الديمقراطي للصحافيين «هل يعقل أن لا يعرف أحد منا بذلك».",
            ["دونالد ترامب", "بيل دي بلازيو"],
        ),
        # a source with a pronoun, as written without its preposition
        (
            "ليكون هذا الحدث وفقا لمنظميه «أكبر حدث تقني يعقد في المنطقة».",
            ["منظميه"],
        ),
        # the source that opens the sentence names who speaks in it
        (
            "وبحسب البعثة، فإن محاولاتها التوجه إلى الميدان «تتم عرقلتها من قوات الحكومة».",
            ["البعثة"],
        ),
    ],
)
def test_titles_and_sources_that_name_the_speaker(text, expected) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a long title (a weakly attached لـ, a masculine title for a woman), then the
        # name that التي takes up
        (
            "ونقلت الصحيفة تصريحات وزيرة الدولة لشؤون الإعلام الناطق الرسمي باسم الحكومة "
            "جمانة غنيمات التي أكدت قائلة «إن الأردن اتخذ قرار إغلاق الحدود».",
            ["جمانة غنيمات"],
        ),
        # a country ends the genitive of the title, so the name after it is given
        (
            "قالت وزيرة خارجية غواتيمالا ساندرا جوفيل الثلاثاء إن الرئيس سيحضر الحفل. "
            "وأفادت الوزيرة أنه «من المتوقع أن يحضر الرئيس حفل نقل السفارة».",
            ["ساندرا جوفيل"],
        ),
    ],
)
def test_names_after_long_titles(text, expected) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name after عليه: the praise is the name's
        (
            "وأكثر ما يلفت الانتباه هو التواجد النسائي، الذي أثنى عليه جيمي ويلز بالقول: "
            "«سعدت كثيرا بقراءة تغريدات المنظمين».",
            [("سعدت كثيرا بقراءة تغريدات المنظمين", "speech", "جيمي ويلز")],
        ),
        # a hashtag after a noun that introduces a name is the speaker
        (
            "وقالت منصة #فيسبوك في ردود مكتوبة إنه «لم يتم مشاركة تفاصيل الحسابات المصرفية».",
            [("لم يتم مشاركة تفاصيل الحسابات المصرفية", "speech", "فيسبوك")],
        ),
        # a word the language does not use, in a reported clause, is a name
        (
            "وأكد رونالدو أنه سينافس على لقب هداف الدوري «بيتشيشي» هذا الموسم.",
            [("بيتشيشي", "term", "")],
        ),
        # تقنية introduces a name
        (
            "بدأت المحاكم بتطبيق تقنية «المحاكمة الجزائية عن بعد» في الجنح البسيطة.",
            [("المحاكمة الجزائية عن بعد", "term", "")],
        ),
    ],
)
def test_names_after_prepositions_and_nouns(text, expected) -> None:
    assert quotes(text) == expected


# --- what stands between the verb and the name, and names of unusual shape ---------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # words of time between the verb and its subject are passed over
        (
            "غرق قارب يقل مهاجرين، وصفه آنذاك رئيس الحكومة التونسية يوسف الشاهد "
            "بـ«الكارثة الوطنية».",
            ["يوسف الشاهد"],
        ),
        (
            "وقالت يوم الخميس الماضي المتحدثة باسم الوزارة سارة كوبر «لن نغير موقفنا».",
            ["سارة كوبر"],
        ),
        # an institution named with two joined genitives, then the name in apposition;
        # later the family name alone takes the full name
        (
            "قال مدير مركز الأحواز للإعلام والدراسات الاستراتيجية، حسن راضي، لموقع إخباري "
            "إن الاحتجاجات مستمرة. وشدد راضي على أن هناك «سياسات ممنهجة تستهدف العرب».",
            ["حسن راضي"],
        ),
        # a name that begins with ك is not "like" a name (كاميل, not ك + اميل)
        (
            "وقال الأمين العام للنقابة العامة للعمل كاميل روس «حدث توتر بين النقابيين».",
            ["كاميل روس"],
        ),
        # a rare word after a preposition is a proper noun: the name after it is not
        # part of the title phrase
        (
            "وقال الأمين العام للنقابة العامة للعمل في كاتالونيا كاميل روس «حدث توتر».",
            ["كاميل روس"],
        ),
        # a foreign family name ending in نا is not a pronoun (يارينا)
        (
            "ويتهمها قاضي التحقيق بابلو يارينا «باستخدام مسؤوليتهما لتعبئة آلاف الأنصار».",
            ["بابلو يارينا"],
        ),
        # a nisba after two given names is the family name
        (
            "أعلن العميد حسين حسان الغمري أن العملية نجحت. "
            "وأشار الغمري إلى أن «الأيام القادمة ستشهد مزيدا من الانتصارات».",
            ["حسين حسان الغمري"],
        ),
        # a title alone after a name given with that title in apposition
        (
            "غير أن مات هيربر، الباحث في المنظمة الدولية، أكد أن «هذا الانخفاض توقف». "
            "وبين الباحث أن «الكثير من الذين يركبون البحر يبحثون عن عمل».",
            ["مات هيربر", "مات هيربر"],
        ),
    ],
)
def test_material_between_verb_and_name(text, expected) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a rare name shaped like an accusative participle (م…ا) is no participle
        ("وقال المبعوث الأممي ستافان دي ميستورا «ستكون عاصفة هوجاء».", ["ستافان دي ميستورا"]),
        # names that begin like كال / بال with a two-letter rest are not ك/ب + ال
        ("وقال المتحدث باسم الرئاسة إبراهيم كالين «سنتأكد من ذلك».", ["إبراهيم كالين"]),
        ("وطالب رئيس الهيئة ماورو بالما بالحصول على «معلومات عاجلة».", ["ماورو بالما"]),
        # a country after a name is not part of it (the object of the verb)
        (
            "واتهم وزير الخارجية المغربي ناصر بوريطة إيران بدعم الجبهة. "
            "وقال في بيان إن «المغرب قدم أدلة دامغة».",
            ["ناصر بوريطة"],
        ),
        # a common word with ب in quotation marks qualifies the verb (the ministry's
        # word): it is not the ministry's quoted name
        (
            "ونفت وزارة الخارجية الإيرانية «بشدة» هذه الاتهامات، وأعربت عن أسفها لأنها "
            "تشكل «ذريعة» لقطع العلاقات.",
            ["وزارة الخارجية الإيرانية", "وزارة الخارجية الإيرانية"],
        ),
        # an adjective of rank ends the noun phrase of an unnamed speaker
        ("وقال مسؤول تركي رفيع «يمكن التوصل إلى اتفاق».", ["مسؤول تركي"]),
    ],
)
def test_names_of_unusual_shape(text, expected) -> None:
    assert speakers(text) == expected
