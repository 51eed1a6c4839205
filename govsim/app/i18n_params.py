"""The parameters a student may touch, in both languages: a short label, the one-line
meaning and the source, in Chinese written out (the English meaning and source come from
the parameter table itself, :mod:`govsim.parameters`).

A parameter added to the table shows its English text at once; in Chinese it needs an
entry in :data:`PARAMS_ZH` (``tests/browser/test_app_logic.py`` lists any missing).
"""

from __future__ import annotations

from govsim.parameters import PARAMETERS

LABELS_EN = {
    "negotiation": "negotiation",
    "court": "court",
    "police": "police station",
    "committee_mediation": "neighbourhood-committee mediation",
    "social_mediation": "social mediation ('1+X')",
    "petition": "petition ladder (信访)",
    "hotline": "hotline",
    "grid_patrol": "grid workers' patrols",
    "joint_meeting": "grid joint meetings",
    "street_intervention": "street office acts (order)",
    "assembly_support": "street backs an owners' assembly",
    "committee_admin_burden": "committees' administrative burden",
    "intervention_stage": "escalation at which the street office acts",
    "hierarchy_layers": "bureaucratic layers",
    "layer_delay_days": "days each layer adds",
    "households_per_grid_worker": "households per grid worker",
    "patrol_visits_per_day": "households a grid worker visits a day",
    "order_sanction": "sanction for defying the order",
    "order_enforcement": "chance the order is enforced",
    "preparatory_group_days": "days a preparatory group needs",
    "preparatory_group_sd": "spread of the preparatory group's days",
    "unaided_preparatory_days": "days owners need to prepare unaided",
    "assembly_notice_days": "days of notice before an assembly",
    "assembly_quorum": "share of owners needed to decide",
    "backed_turnout": "turnout at a backed assembly",
    "unaided_turnout": "turnout at an unaided assembly",
    "turnout_sd": "spread of turnout",
    "firm_replacement_days": "days until the owners' own firm takes over",
    "self_organisation_rate": "owners' rate of organising unaided",
    "joint_meeting_interval_days": "days between joint meetings",
    "intervention_staff_days": "staff-days per intervention",
    "assembly_staff_days": "street staff-days per assembly",
    "assessment": "assessment and accountability (考核)",
    "grid_levels": "the grid's three levels",
    "information_platform": "information platform",
    "legal_services": "'1+X' legal services",
    "petition_attention_scale": "fuss a petition needs for a leader's attention",
    "skip_level_factor": "weight of a skip-level petition",
    "buck_passing": "chance of buck-passing (踢皮球)",
    "accountable_buck_passing": "buck-passing under accountability",
    "skip_level_staff_days": "staff-days of a skip-level petition",
    "public_funding": "public funding of grassroots services",
    "legal_support": "legal support of grassroots governance",
    "social_voice": "voice social organisations give",
    "assessment_threshold_shift": "stages earlier an assessed street office acts",
    "supervised_redispatch": "supervised re-dispatch of failed cases",
    "payoff_rent_accept": "rent, owners accept",
    "payoff_rent_resist": "rent, owners resist",
    "payoff_sell_accept": "sell only, owners accept",
    "payoff_sell_resist": "sell only, owners resist",
    "payoff_dual_accept": "dual track, owners accept",
    "payoff_dual_resist": "dual track, owners resist",
}

_MODEL_5 = "MODEL.md 第 5 节（治理模式预设）"
_ASSUMED = "假设"
PARAMS_ZH: dict[str, tuple[str, str, str]] = {  # name -> (label, meaning, source)
    "negotiation": ("协商", "当事双方直接协商", _MODEL_5),
    "court": ("法院诉讼", "到法院起诉", _MODEL_5),
    "police": ("派出所出警", "业主在小区门口对峙时，派出所接警出警", _MODEL_5),
    "committee_mediation": ("居委会调解（人民调解）", "居委会开展人民调解", _MODEL_5),
    "social_mediation": ("社会组织调解（“1+X”）",
                         "政府资助的社会组织调解，即“1+X”法律服务模式（每个管区设 1 个综合调解室）",
                         _MODEL_5),
    "petition": ("信访", "向区政府和街道办信访（上访）", _MODEL_5),
    "hotline": ("统一服务热线", "统一服务热线（如“一号通”67712345）：24 小时受理，指挥中心派单并全程督办",
                _MODEL_5),
    "grid_patrol": ("网格员巡查", "网格员入户巡查，在住户投诉之前发现潜在纠纷", _MODEL_5),
    "joint_meeting": ("网格联席会议",
                      "网格联席会议：街道、居委会、业委会、驻街企业、高校、物业公司定期会商；"
                      "能听取各方意见，但不能代表业主作出有约束力的决定", _MODEL_5),
    "street_intervention": ("街道办责令整改", "街道办对集体纠纷作出回应，责令开发商整改", _MODEL_5),
    "assembly_support": ("支持召开业主大会", "街道办行动后，指导成立筹备组、支持召开业主大会", _MODEL_5),
    "committee_admin_burden": ("居委会行政负担", "居委会工作时间中被行政事务占用的比例（行政化）",
                               "假设（第 1 篇：居委会负担过重）"),
    "intervention_stage": ("街道办行动的升级阶段", "集体纠纷升级到哪一阶段，街道办才行动",
                           "第 6 篇：不闹不解决，小闹小解决，大闹大解决"),
    "hierarchy_layers": ("科层层级数", "案件到街道办行动之前要经过的层级数",
                         "第 6 篇：两级政府、三级管理"),
    "layer_delay_days": ("每一层级耽搁的天数", "街道办行动之前，每经过一个科层层级平均增加的天数（泊松分布）",
                         "按案例最初几天的日期校准：9 月 5 日到区政府上访 → 9 月 6 日街道办责令整改，"
                         "经过一个层级（第 6 篇）"),
    "households_per_grid_worker": ("每名网格员服务的住户数", "每名网格员负责的住户数",
                                   "假设，在公开数据范围之内，并非出自原文（MODEL.md 第 2 节：每个网格 160–255 户，"
                                   "通常配一名专职网格员）"),
    "patrol_visits_per_day": ("网格员每天走访户数", "一名网格员每天走访的住户数", _ASSUMED),
    "order_sanction": ("违抗责令的惩罚", "开发商违抗街道办“责令整改”预期损失的收益（博弈收益单位）",
                       "假设（本模型的扩展：第 6 篇记载了 9 月 6 日的责令，未说明如何执行；代表责令的权威）"),
    "order_enforcement": ("责令被执行的概率",
                          "违抗责令受到惩罚的概率 q（当 q × 惩罚 > d − b 时，责令能使开发商改变策略）",
                          "假设（本模型的扩展，同上）"),
    "preparatory_group_days": ("筹备组准备天数", "街道指导下的筹备组筹备首次业主大会平均所需天数",
                               "假设（未按案例拟合：在街道指导下约一周）"),
    "preparatory_group_sd": ("筹备天数的波动", "筹备组所需天数的离散程度（正态分布，取整，至少 1 天）",
                             _ASSUMED),
    "unaided_preparatory_days": ("业主自行筹备天数", "没有街道指导时，业主自行筹备业主大会平均所需天数",
                                 "假设（MODEL.md 第 5 节：业主自行组织很难）"),
    "assembly_notice_days": ("业主大会提前通知天数", "召集业主大会到召开之间的天数：须提前 15 日通知全体业主",
                             "《物业管理条例》（2003 年，2007 年修订）：业主大会会议应于召开 15 日前通知全体业主"
                             "（MODEL.md 第 2 节）"),
    "assembly_quorum": ("业主大会表决门槛", "业主大会作出决定（选举业委会）须参加投票的业主比例",
                        "《物业管理条例》：须经专有部分占建筑物总面积过半数且占总人数过半数的业主同意"
                        "（MODEL.md 第 2 节）；这里用一个比例代表两者"),
    "backed_turnout": ("政府支持的业主大会投票率", "街道办支持召开的业主大会上参加投票的业主平均比例",
                       "假设（第 6 篇：10 个流动票箱，每个由 2 名居民和 2 名街道工作人员看管）"),
    "unaided_turnout": ("业主自发召开的业主大会投票率", "业主自行组织的业主大会上参加投票的业主平均比例",
                        "假设（MODEL.md 第 5 节：很难）"),
    "turnout_sd": ("投票率的波动", "业主大会投票率的离散程度（正态分布，截断在 0–1 之间）", _ASSUMED),
    "firm_replacement_days": ("新物业公司接管天数", "业委会选出后，其选聘的物业公司接替开发商聘用的物业公司平均所需天数",
                              "假设（第 6 篇：“而后”新业委会选聘了名城物业，未给出日期）"),
    "self_organisation_rate": ("业主自发组织的概率", "业主每天（按参与比例计）自行开始筹备业主大会的概率",
                               "假设（MODEL.md 第 5 节：“很难”）"),
    "joint_meeting_interval_days": ("网格联席会议间隔天数", "定期召开的网格联席会议之间相隔的天数",
                                    "假设（第 6 篇：联席会议“定期召开”，未给出间隔）"),
    "intervention_staff_days": ("每次介入的人力投入", "街道办每次行动（责令、协商）所需的人力投入（人·日）",
                                _ASSUMED),
    "assembly_staff_days": ("每次业主大会的街道人力投入", "街道为一次业主大会投入的人力（人·日）",
                            "假设（第 6 篇：10 个票箱，每个由 2 名街道工作人员看管）"),
    "assessment": ("考核、监督、问责", "对镇街和部门按结果考核、监督并问责（第 9 篇）", _MODEL_5),
    "grid_levels": ("网格三级处置", "网格分三级处置纠纷：下沉网格的街道干部就地调处，其上是服务中心，再上是街道（第 6 篇）",
                    _MODEL_5),
    "information_platform": ("信息平台（云管理）",
                             "共享信息平台：网格记录的情况即时送达街道办（第 6 篇“云管理”；第 9 篇）", _MODEL_5),
    "legal_services": ("“1+X”法律服务", "“1+X”法律服务模式：每个管区设 1 个免费的综合调解室（第 9 篇）",
                       _MODEL_5),
    "petition_attention_scale": (
        "上访引起领导重视的门槛",
        "上访要“闹”到多大，领导才会接访、特案特办：概率为 1 − e^(−闹的程度 ÷ 此值)；闹的程度按上访户数计，"
        "此前每多一次上访再乘一倍，越过区里到市里上访再乘以越级倍数",
        "假设（第 6 篇：不闹不解决，小闹小解决，大闹大解决；第 7 篇：领导接手的上访案件能调动资源）"),
    "skip_level_factor": ("越级上访的放大倍数", "越过区里到市里上访（越级上访）时，“闹”的程度放大的倍数",
                          "假设（第 7 篇：越级上访）"),
    "buck_passing": ("部门推诿的概率", "一般信访件到达某部门时，该部门不作处理、转给别的部门的概率（踢皮球）",
                     "假设（第 7 篇：部门之间推诿扯皮）"),
    "accountable_buck_passing": ("有问责时的推诿概率", "对部门实行考核、监督和问责时的同一概率",
                                 "假设（第 9 篇：综合执法局结束了“推诿扯皮”）"),
    "skip_level_staff_days": ("越级上访的额外人力投入", "一次越级上访额外耗费的人力（人·日）：市里限期交办，下级层层负责",
                              "假设（第 7 篇：特案特办“增加了化解纠纷的成本”）"),
    "public_funding": ("基层公共服务经费", "基层公共服务经费相对于校准案例的倍数：按此比例增减居委会调解、社会组织调解"
                       "和法律服务的处理人员", "假设（第 1 篇：基层治理经费不足）"),
    "legal_support": ("基层治理的法律支撑", "基层治理的法律支撑相对于校准案例的倍数：按此比例增减法院或法律服务室化解案件的概率",
                      "假设（第 1 篇：基层治理缺乏法律支撑）"),
    "social_voice": ("社会组织的表达作用", "受资助的社会组织为集体纠纷当事人提供表达渠道的程度：纠纷一经反映，按此比例减轻"
                     "其不满，并按此比例降低上访倾向",
                     "假设（第 1 篇：社会组织表达利益、化解冲突，“在社会矛盾转化为政治矛盾之前”）"),
    "assessment_threshold_shift": ("信访考核使街道办提前行动的阶段数",
                                   "街道办按信访接受考核时提前行动的升级阶段数（例如从上访提前到对峙）：一次上访即记入考核",
                                   "假设（本模型对第 9 篇考核和第 6 篇“零上访”的扩展；原文未说明干部如何应对）"),
    "supervised_redispatch": ("全过程督办（退回重办）", "指挥中心把部门未能办结的派单案件退回该部门重办一次（全过程监督）",
                              "第 9 篇：指挥中心“全过程监督”"),
    "payoff_rent_accept": ("出租，业主接受", "（开发商，业主）收益：出租，业主接受", "第 6 篇"),
    "payoff_rent_resist": ("出租，业主抵制", "（开发商，业主）收益：出租，业主抵制",
                           "MODEL.md 对第 6 篇的补全"),
    "payoff_sell_accept": ("只售不租，业主接受", "（开发商，业主）收益：只售不租，业主接受", "第 6 篇"),
    "payoff_sell_resist": ("只售不租，业主抵制", "（开发商，业主）收益：只售不租，业主抵制",
                           "MODEL.md 对第 6 篇的补全"),
    "payoff_dual_accept": ("租售并行，业主接受", "（开发商，业主）收益：租售并行（双轨制），业主接受",
                           _ASSUMED),
    "payoff_dual_resist": ("租售并行，业主抵制", "（开发商，业主）收益：租售并行（双轨制），业主抵制",
                           _ASSUMED),
}
_MISSING_ZH = ("（该参数暂无中文说明）", "（暂无中文说明）", "—")


def param_text(name: str, lang: str) -> tuple[str, str, str]:
    """(label, one-line meaning, source) of a parameter a student may touch."""
    spec = PARAMETERS[name]
    if lang == "zh":
        return PARAMS_ZH.get(name, _MISSING_ZH)
    return LABELS_EN.get(name, name.replace("_", " ")), spec.meaning, spec.source


def missing_chinese(names) -> list[str]:
    return [n for n in names if n not in PARAMS_ZH]
