"""Name pools for generated people: Han names, Mongolian names, and the surnames other groups favour."""

from __future__ import annotations

import random

# Common surnames, most frequent first (weights fall off along the list).
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
    "杭云尚霍温牛岳樊闫安郎苗"
)
SURNAME_WEIGHTS = tuple(max(1, 40 - i // 3) for i in range(len(SURNAMES)))

MALE_GIVEN = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺"
    "信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲"
    "江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠"
    "策腾楠榕风航弘"
)
FEMALE_GIVEN = (
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡"
    "佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓仪荷丹蓉眉君琴蕊薇菁梦岚"
    "苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可舒影荔"
    "枝思丽"
)

# Mongolian given names as they are written in Chinese characters.
MONGOLIAN_MALE = (
    "巴特尔", "额尔敦", "苏和", "阿拉坦", "乌力吉", "朝鲁", "巴图", "孟和", "那顺", "宝音", "毕力格",
    "额日和木", "布和", "达来", "特古斯", "吉日嘎拉", "哈斯", "图门", "乌恩", "格日乐图", "斯琴巴特尔",
    "阿木古楞", "满都拉", "其木德", "吉雅图", "呼和", "巴雅尔", "敖特根", "德力格尔", "白音", "那木拉",
    "恩和", "宝力道", "达布希拉图",
)  # fmt: skip
MONGOLIAN_FEMALE = (
    "其其格", "萨仁", "乌云", "娜仁", "高娃", "斯琴", "图雅", "塔娜", "格日勒", "其木格", "萨日娜", "乌兰",
    "托娅", "琪琪格", "娜布其", "阿拉坦其其格", "乌日娜", "苏日娜", "阿如娜", "萨如拉", "乌日汗", "明月",
    "敖登", "宝勒尔", "斯日古楞", "乌仁图雅", "哈斯其其格", "诺敏", "萨其拉",
)  # fmt: skip
# Surnames Mongolians often adopt in Chinese-language records (many go by the given name alone).
MONGOLIAN_SURNAMES = "包白鲍韩宝乌那敖额吴金云"

SURNAMES_BY_ETHNICITY = {
    "回族": "马白杨李丁穆金哈沙纳海米",
    "满族": "关佟那富赵肖金罗傅鄂索",
}
MONGOLIC = {"蒙古族", "达斡尔族", "鄂温克族", "鄂伦春族"}


def _han_name(rng: random.Random, male: bool, surnames: str | None = None) -> str:
    if surnames:
        surname = rng.choice(surnames)
    else:
        surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
    pool = MALE_GIVEN if male else FEMALE_GIVEN
    length = 2 if rng.random() < 0.72 else 1
    return surname + "".join(rng.choice(pool) for _ in range(length))


def person_name(rng: random.Random, *, male: bool, ethnicity: str = "汉族") -> str:
    """A plausible name for someone of this sex and ethnicity."""
    if ethnicity in MONGOLIC and rng.random() < 0.8:
        given = rng.choice(MONGOLIAN_MALE if male else MONGOLIAN_FEMALE)
        if rng.random() < 0.35:
            return rng.choice(MONGOLIAN_SURNAMES) + given
        return given
    return _han_name(rng, male, SURNAMES_BY_ETHNICITY.get(ethnicity))


def weighted(rng: random.Random, table: dict):
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]
