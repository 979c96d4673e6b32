"""Latency of the span reader: ``python -m qa.reader.bench [--weights DIR] [--threads 1] [--runs 50]``.

Times `Reader.spans_batch` for one question and 1, 2 and 3 passages of about 350 characters
(warm: the model is loaded and one call is made first), and prints p50/p95 in milliseconds plus
the share of the tokenizer, the USE features and the rest for one passage.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from .features import blas_threads
from .model import Reader

QUESTION = "西夏区政协五届三次会议和闭会期间共立案多少件？"
PASSAGES = [
    "在提案办理中彰显为民情怀。推行“三强化三提升”提案办理流程，落实与政府协同推进提案督办机制，通过党政领办、"
    "政协督办、委员参与、部门落实，西夏区政协五届三次会议和闭会期间共立案41件，区委和政府专项安排100万元提案办理"
    "资金，在闭会期间为两镇七街各办理一件民生实事提案，解决了一批长期困扰基层的民生痛点难点问题，提案办复率、满意率"
    "均达100%。围绕民生关切联动协商。紧密联系自治区、银川市政协，聚焦事业发展和民生短板，联动协商议政，合力纾困解难。"
    "自治区政协主席陈雍6次到西夏区调研企业经营、贺兰山东麓应急救援中心建设、社区食堂建设、严重精神障碍患者救治服务等"
    "工作，协调自治区有关部门帮助解决问题。协调农工党中央、中国国际投资促进会向镇北堡卫生院捐赠价值350万元的CT机、"
    "救护车，帮助基层医疗机构改善诊疗条件，惠及周边群众三万余人。",
    "西夏区位于宁夏回族自治区银川市西部，总面积1129平方公里，辖两镇七街。全区常住人口约四十万人，是银川市的教育、"
    "科研和工业重镇，宁夏大学、北方民族大学等高校坐落于此。近年来，西夏区围绕产业升级持续发力，培育新材料、装备制造"
    "和葡萄酒等特色产业，贺兰山东麓葡萄酒产区已建成酒庄数十家，年产葡萄酒上万吨。区内交通便利，京藏高速、银巴公路"
    "穿境而过，距河东国际机场约三十公里。西夏区还拥有西夏陵、镇北堡西部影城等知名景点，每年接待游客超过三百万人次。"
    "区政府提出，到2025年力争地区生产总值突破三百亿元，城乡居民收入增速高于经济增速，生态环境质量持续改善。"
    "为此，全区将实施重点项目六十个，总投资超过一百二十亿元，其中产业项目占比六成以上，民生项目二十项，"
    "涵盖教育、医疗、养老和城市更新等领域，并同步推进老旧小区改造。",
    "社区食堂建设是近年西夏区民生工作的重点之一。截至2024年底，全区已建成社区食堂十二家，覆盖七个街道，日均服务老年"
    "人和困难群众两千余人次。食堂由街道办事处统一规划，引入专业餐饮企业运营，政府按照服务人数给予补贴，六十岁以上"
    "老人用餐可享受八折优惠，八十岁以上老人和低保对象免费用餐。区民政局每季度组织食品安全检查，并通过线上平台公开"
    "菜单和价格，接受群众监督。下一步，西夏区计划将社区食堂延伸到两个镇的中心村，探索“中央厨房加配送”的模式，"
    "让农村老人也能吃上热乎饭。区政协把社区食堂运营情况列为年度民主监督重点，组织委员开展专项视察并提出建议。"
    "委员们建议完善补贴标准，加强食材溯源管理，鼓励志愿者参与送餐服务，并积极探索社区食堂与养老服务中心融合发展，"
    "形成可复制推广的经验，让更多老人和困难群众从中受益。",
]


def _pct(xs):
    return np.percentile(xs, 50) * 1000, np.percentile(xs, 95) * 1000


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args(argv)
    reader = Reader.load(args.weights, threads=args.threads).warm_up()
    passages = [p[:350] for p in PASSAGES]
    print(f"passages: {[len(p) for p in passages]} chars, question {len(QUESTION)} chars, threads={args.threads}")
    for n in (1, 2, 3):
        batch = passages[:n]
        reader.spans_batch(QUESTION, batch)
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            reader.spans_batch(QUESTION, batch)
            times.append(time.perf_counter() - t)
        p50, p95 = _pct(times)
        print(f"{n} passage(s): p50 {p50:.1f} ms  p95 {p95:.1f} ms")
    # breakdown for one passage
    tok, feat = [], []
    with blas_threads(args.threads):
        for _ in range(args.runs):
            t0 = time.perf_counter()
            qt, pt = reader.tokenizer(QUESTION), reader.tokenizer(passages[0])
            t1 = time.perf_counter()
            reader.features([qt.ids, pt.ids])
            t2 = time.perf_counter()
            tok.append(t1 - t0)
            feat.append(t2 - t1)
    print(
        f"one passage, p50: tokenise {_pct(tok)[0]:.1f} ms, USE features {_pct(feat)[0]:.1f} ms "
        f"({len(pt)} + {len(qt)} tokens)"
    )
    s, e, p = reader.spans(QUESTION, passages[0], top_n=1)[0]
    print(f"answer: {passages[0][s:e]!r} ({p:.2f})")


if __name__ == "__main__":
    main()
