"""The one table of units: Chinese measure words, what nouns and English words imply them, their English names.

Every other module asks this one: the quantity finder (which words may follow a number), question
analysis (which measure word a question expects), and English rendering (how to say it).
"""

from __future__ import annotations

from qa.text.english import word_variants

#: Chinese measure words and units as they follow a number in text (a magnitude 万/亿 may stand before them).
ZH_UNITS: tuple[str, ...] = tuple(
    sorted(
        set(
            """元 万元 亿元 千元 元钱 美元 万美元 亿美元 人 万人 人次 万人次 亿人次 余人 名 位 个人 户 万户
            件 次 篇 家 期 批 个 项 场 场次 所 座 条 份 辆 台 套 本 册 起 间 栋 株 棵 张 集 部 幅 门 轮 节 组 类 种
            级 首 季 支 处 股 趟 遍 回 倍 届 岁 天 年 周年 小时 分钟 名次 个百分点 百分点 % ％ ‰
            公里 千米 米 厘米 毫米 公尺 公分 英里 英尺 海里 平方米 万平方米 平方公里 平方千米 平方英里 亩 万亩 公顷
            吨 万吨 亿吨 公斤 千克 克 毫克 斤 万斤 亿斤 立方米 万立方米 千瓦 万千瓦 千瓦时 万千瓦时 亿千瓦时
            标准箱 万标箱 枚 块 金 银 铜
            万辆 艘 架 列 头 只 匹 口 微克/立方米 微克每立方米 毫克/立方米 万亿 万 亿""".split()
        ),
        key=len,
        reverse=True,
    )
)

#: Latin units written after a number ("1750.33km²", "80 km/h").
LATIN_UNITS: tuple[str, ...] = tuple(
    """km² km2 m² m2 km/h km kg cm mm mg ml ha KM KG CM MM °C ℃ ° m g t μg/m³ GW MW kW kWh TEU EFLOPS PFLOPS
    EB PB TB P E""".split()
)

#: Chinese nouns that imply a measure word when the question names none ("多少委员" -> 名).
NOUN_UNITS: dict[str, str] = {
    "委员": "名", "人员": "名", "干部": "名", "代表": "名", "学生": "名", "员工": "名", "人才": "名", "人口": "人",
    "提案": "件", "议案": "件", "案件": "件", "建议": "件", "实事": "件", "报告": "篇", "文章": "篇", "信息": "篇",
    "材料": "篇", "稿件": "篇", "报道": "篇", "企业": "家", "公司": "家", "单位": "家", "医院": "家", "资金": "元",
    "经费": "元", "钱": "元", "金额": "元", "价值": "元", "投资": "元", "捐款": "元", "捐资": "元", "出资": "元",
    "筹资": "元", "融资": "元", "集资": "元", "费用": "元", "收入": "元",
    "总值": "元", "产值": "元", "增加值": "元", "总额": "元", "销售额": "元", "营业额": "元", "成交额": "元",
    "交易额": "元", "利润": "元", "营收": "元", "预算": "元", "比例": "%", "比率": "%", "比重": "%", "百分比": "%",
    "率": "%", "占比": "%", "增速": "%", "增长": "%", "旅客": "人次", "游客": "人次", "乘客": "人次",
    "面积": "平方米", "长度": "米", "高度": "米", "海拔": "米", "距离": "米", "里程": "公里", "身高": "米",
    "体重": "公斤", "重量": "公斤",
    "活动": "次", "会议": "次", "调研": "次", "学习": "次", "培训": "次",
}  # fmt: skip

#: English counting nouns (singular) -> the measure word they count in. Used for questions ("how many
#: proposals") and for units written after numbers in English documents ("45,000 residents").
EN_NOUNS: dict[str, str] = {
    "proposal": "件", "suggestion": "件", "case": "件", "motion": "件", "item": "件", "thing": "件", "time": "次",
    "session": "次", "meeting": "次", "visit": "次", "trip": "次", "inspection": "次", "round": "次",
    "activity": "次", "study": "次", "consultation": "次", "survey": "次", "event": "场", "member": "名",
    "people": "名", "person": "名",
    "official": "名", "cadre": "名", "entrepreneur": "名", "representative": "名", "child": "人", "children": "人",
    "resident": "人", "population": "人", "job": "人", "worker": "人", "student": "名", "report": "篇",
    "article": "篇", "piece": "篇", "paper": "篇", "material": "篇", "company": "家", "enterprise": "家",
    "firm": "家", "business": "家", "hospital": "家", "issue": "期", "edition": "期", "batch": "批",
    "delegation": "批", "group": "批", "system": "项", "rule": "项", "regulation": "项", "project": "项",
    "money": "元", "yuan": "元", "rmb": "元", "dollar": "元", "euro": "元", "fund": "元", "funding": "元",
    "worth": "元", "value": "元", "cost": "元", "gdp": "元", "budget": "元", "revenue": "元", "income": "元",
    "investment": "元", "salary": "元", "spending": "元", "expenditure": "元", "percent": "%",
    "percentage": "%", "rate": "%", "share": "%", "proportion": "%", "growth": "%", "year": "年",
    "anniversary": "周年", "household": "户", "family": "户", "village": "个", "community": "个", "school": "所",
    "acre": "亩", "mu": "亩", "hectare": "公顷", "ton": "吨", "tonne": "吨", "kilometer": "公里", "kilometre": "公里",
    "km": "公里", "microgram": "微克/立方米", "home": "套", "house": "套", "apartment": "套", "flat": "套",
    "dwelling": "套", "farmland": "亩",
}  # fmt: skip

#: Measure words that count the same things: a question's 位 is answered by a text's 名.
UNIT_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({"名", "人", "位", "余人", "万人", "个人"}),
    frozenset({"次", "回", "场", "场次", "轮", "趟", "遍", "人次"}),  # visits are counted per person (人次)
    frozenset({"篇", "份", "条", "期"}),
    frozenset({"家", "个", "所"}),
    frozenset({"家", "户"}),  # enterprises registered are counted in 户 (经营主体1000万户, 其中企业400万户)
    frozenset({"件", "项", "个"}),
    frozenset({"批", "组", "支"}),
    frozenset({"%", "％", "个百分点", "百分点"}),
    frozenset({"户", "万户"}),
    frozenset({"亩", "万亩"}),
    frozenset({"吨", "万吨", "亿吨"}),
    frozenset({"斤", "万斤", "亿斤", "公斤", "千克", "吨"}),
    frozenset({"套", "户", "个", "间"}),
    frozenset({"头", "只", "匹"}),
    frozenset({"部", "台"}),  # machines and devices: 多少部电梯 is answered by 电梯869台
    frozenset({"座", "个", "处"}),  # facilities and sites: 多少座水库, 水库12个
    frozenset({"公里", "千米"}),
    # dimensions: a question asks a length, area or weight in no unit of its own (有多长, 面积多大, 体重多少)
    frozenset("米 公里 千米 厘米 毫米 公尺 公分 英里 英尺 海里 km m cm mm KM CM MM".split()),
    frozenset({"平方米", "平方公里", "平方千米", "平方英里", "亩", "公顷", "km²", "km2", "m²", "m2", "ha"}),
    frozenset({"公斤", "千克", "克", "毫克", "吨", "斤", "kg", "g", "t", "KG"}),
    frozenset({"微克/立方米", "微克每立方米"}),
    # medals: "获得14金9银13铜" counts gold medals in 金, never in 银
    frozenset({"金", "枚", "块"}),
    frozenset({"银", "枚", "块"}),
    frozenset({"铜", "枚", "块"}),
)

#: Units that measure (money, shares, length, area, weight, volume, energy, time, age) rather than count things:
#: "how many libraries" (个, the generic measure word) is never answered by 15万平方米 or 3.2亿元.
MEASURES: frozenset[str] = frozenset(
    """元 元钱 美元 % ‰ 个百分点 百分点 公里 千米 米 厘米 毫米 公尺 公分 英里 英尺 海里 平方米 平方公里 平方千米
    平方英里 亩 公顷 吨 公斤 千克 克 毫克 斤 立方米 千瓦 千瓦时 微克/立方米 微克每立方米 毫克/立方米 倍 岁 天 年 周年
    小时 分钟""".split()
)

#: Measure words that count things; what an amount is never given in ("how much grain": 514.4万吨, not 4个).
COUNTS: frozenset[str] = frozenset(
    "个 家 所 件 项 名 人 位 次 回 场 篇 份 条 期 批 组 支 户 套 间 座 处 头 只 匹 部 台 辆 列 艘".split()
)

#: Units of area: "how much grain" is not 1266.6万亩 sown.
AREAS: frozenset[str] = frozenset("平方米 平方公里 平方千米 平方英里 亩 公顷 km² km2 m² m2 ha".split())

#: The expected unit of an English "how much" question that names none: an amount in any measure, not a count.
AMOUNT = "量"

#: How an English answer names a measure word (plural forms).
EN_NAMES: dict[str, str] = {
    "件": "items", "次": "times", "篇": "articles", "名": "people", "人": "people", "位": "people", "家": "companies",
    "期": "issues", "批": "groups", "个": "units", "项": "items", "场": "events", "场次": "events", "%": "percent",
    "％": "percent", "元": "yuan", "人次": "person-times", "周年": "years", "户": "households", "亩": "mu",
    "吨": "tonnes", "所": "institutions", "公里": "km", "千米": "km", "米": "metres", "平方公里": "km²",
    "座": "units", "回": "times", "个百分点": "percentage points", "百分点": "percentage points", "公顷": "hectares",
    "平方米": "m²", "年": "years", "天": "days", "岁": "years old", "倍": "times", "美元": "US dollars", "千瓦": "kW",
    "千瓦时": "kWh", "标准箱": "TEU", "辆": "vehicles", "条": "items",
}  # fmt: skip
EN_NAMES.update({"斤": "jin", "套": "units", "头": "head", "列": "trains", "艘": "ships", "万人次": "person-times"})
EN_NAMES.update({"微克/立方米": "μg/m³", "微克每立方米": "μg/m³"})

#: Magnitude characters and their values.
MAGNITUDES: dict[str, int] = {"千": 1_000, "万": 10_000, "亿": 100_000_000}


def normalise_unit(unit: str) -> str:
    """The canonical form of a written unit: full-width ％ is %, a magnitude before a unit is dropped
    (万元 -> 元, 万人 -> 人, 亿吨 -> 吨; 千米 stays), a bare magnitude stays (万)."""
    unit = unit.replace("％", "%")
    if len(unit) > 1 and unit[0] in "万亿":  # 千米, 千克, 千瓦 are units of their own
        return unit[1:]
    return unit


def unit_matches(mention_unit: str, expected: str | None) -> bool:
    """True when a mention's unit fits the expected measure word ('万元' fits '元', '名' fits '位', '％' fits '%')."""
    if not expected:
        return True
    unit, want = normalise_unit(mention_unit), normalise_unit(expected)
    if want == AMOUNT:  # an amount of something: not a count of things, not the area it was grown or built on
        return unit not in COUNTS and unit not in AREAS
    if want == "元":
        return unit.endswith("元") or mention_unit in ("万", "亿")
    if unit == want or mention_unit == expected:
        return True
    if want == "个":  # 个 is the generic measure word: any that counts things
        return bool(mention_unit) and unit not in MEASURES and not unit.endswith("元")
    return any(want in fam and (unit in fam or mention_unit in fam) for fam in UNIT_FAMILIES)


def measure_word(word: str) -> list[str]:
    """The Chinese measure word an English counting noun implies ('batches' -> ['批']), if any."""
    return next(([EN_NOUNS[v]] for v in word_variants(word.lower()) if v in EN_NOUNS), [])


def english_unit_forms() -> list[str]:
    """Surface forms of the English counting nouns as written after numbers ("residents", "us dollars")."""
    forms: set[str] = set()
    for noun in EN_NOUNS:
        forms.add(noun)
        if noun.endswith("y") and noun not in ("money",):
            forms.add(noun[:-1] + "ies")
        elif not noun.endswith(("s", "people", "children", "yuan", "mu", "rmb", "km", "gdp", "money", "worth")):
            forms.add(noun + "s")
    return sorted(forms | {"us dollars", "persons"}, key=len, reverse=True)
