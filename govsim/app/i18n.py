"""Every word the app shows, in English and Chinese, and a Chinese-capable font for figures.

``tr(key, lang)`` looks a label up; ``event_text(record, lang)`` writes an event of the log
in either language from its kind and fields; ``param_text`` gives a parameter's label,
meaning and source. A missing key is a programming error, so it raises.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib import font_manager

LANGS = ("en", "zh")

STRINGS: dict[str, tuple[str, str]] = {
    # shell
    "app_title": ("govsim — governing a community three ways", "govsim — 社区治理的三种方式"),
    "page_explore": ("Explore", "探索"),
    "page_compare": ("Compare", "比较"),
    "page_replay": ("Case replay", "案例重演"),
    "page_about": ("About", "关于"),
    "language": ("Language", "语言"),
    "projector": ("Projector mode", "投影模式"),
    "scenario": ("Scenario", "情景"),
    "error": ("Something went wrong in this run; the app keeps serving. Details:",
              "本次运行出错；应用仍在运行。详情："),
    # controls
    "step": ("Step", "单步"),
    "play": ("Play", "运行"),
    "pause": ("Pause", "暂停"),
    "reset": ("Reset", "重置"),
    "run_to_end": ("Run to end", "运行到结束"),
    "speed": ("Speed (days per second)", "速度（天/秒）"),
    "regime": ("Regime", "治理模式"),
    "seed": ("Seed (random number stream)", "随机种子"),
    "seed_help": ("Same seed, same community and same disputes: the run is reproducible.",
                  "同一种子 → 同一社区、同样的纠纷：结果可复现。"),
    "institutions": ("Institutions (switch single ones on or off)", "制度开关（可单独开关）"),
    "levers": ("Levers", "调节参数"),
    "payoffs": ("Parking game payoffs (developer, owners)", "车位博弈收益（开发商，业主）"),
    "developer": ("developer", "开发商"),
    "owners": ("owners", "业主"),
    "source": ("source", "来源"),
    "assumption": ("assumption", "假设"),
    "colour_by": ("Colour households by", "住户着色依据"),
    "by_stage": ("dispute stage", "纠纷阶段"),
    "by_grievance": ("grievance", "不满程度"),
    "export": ("Export", "导出"),
    "export_toml": ("Scenario (TOML)", "情景（TOML）"),
    "export_daily": ("Daily data (CSV)", "每日数据（CSV）"),
    "export_disputes": ("Disputes (CSV)", "纠纷表（CSV）"),
    "export_events": ("Event log (CSV)", "事件日志（CSV）"),
    "export_summary": ("Run summary (CSV)", "运行汇总（CSV）"),
    "png": ("PNG", "PNG"),
    "changed_params": ("Changed from the scenario", "相对情景的改动"),
    "none": ("none", "无"),
    # monitors
    "day": ("Day", "天数"),
    "days_run": ("Days simulated", "已模拟天数"),
    "date": ("Date", "日期"),
    "open_disputes": ("Open disputes", "未结纠纷"),
    "median_so_far": ("Median days to resolution so far", "迄今解决天数中位数"),
    "not_yet": ("not yet", "尚未"),
    "finished": ("finished: open disputes censored at the horizon",
                 "已结束：期末未结纠纷作删失处理"),
    # figures
    "fig_network": ("The community", "社区网络"),
    "fig_stages": ("Open disputes by stage", "各阶段未结纠纷"),
    "fig_escalation": ("Confrontations and petitions (cumulative)", "冲突与上访（累计）"),
    "fig_satisfaction": ("Households satisfied", "满意住户比例"),
    "fig_trust": ("Mean trust by organisation", "对各组织的平均信任"),
    "fig_km": ("Time to resolution (Kaplan–Meier, so far)", "解决所需时间（Kaplan–Meier，迄今）"),
    "fig_open_by_regime": ("Open disputes", "未结纠纷"),
    "fig_timeline": ("The parking conflict: 2010 timeline and simulated events",
                     "车位冲突：2010 年时间线与模拟事件"),
    "axis_day": ("day", "天"),
    "days_unit": ("days", "天"),
    "axis_count": ("count", "数量"),
    "axis_share": ("share", "比例"),
    "axis_days_since": ("days since the dispute arose", "纠纷发生后的天数"),
    "axis_unresolved": ("share still unresolved", "仍未解决的比例"),
    "confrontations": ("confrontations", "冲突"),
    "petitions": ("petitions", "上访"),
    "police_calls": ("police calls", "报警"),
    "household": ("household", "住户"),
    "building_agg": ("households aggregated by building (share in dispute)",
                     "按楼栋汇总（涉纠纷住户比例）"),
    "no_dispute": ("no open dispute", "无未结纠纷"),
    "median": ("median", "中位数"),
    "reference_2010": ("2010 (essay 6)", "2010 年（文六）"),
    "this_run": ("this run", "本次运行"),
    "over_seeds": ("over {n} seeds", "{n} 个种子"),
    # stages
    "stage_latent": ("latent", "潜在"),
    "stage_voiced": ("voiced", "已表达"),
    "stage_in_handling": ("in handling", "处理中"),
    "stage_collective_action": ("collective action", "集体行动"),
    "stage_confrontation": ("confrontation", "冲突"),
    "stage_petition": ("petition", "上访"),
    # organisations
    "org_committee": ("neighbourhood committee", "居委会"),
    "org_owners_committee": ("owners' committee", "业委会"),
    "org_social_org": ("social organisation", "社会组织"),
    "org_street_office": ("street office", "街道办"),
    "org_police": ("police", "警察"),
    "org_court": ("court", "法院"),
    "org_developer": ("developer", "开发商"),
    "org_grid": ("grid / hotline", "网格/热线"),
    "org_grid_worker": ("grid worker", "网格员"),
    "org_legal": ("legal services (1+X)", "法律服务（1+X）"),
    # regimes
    "regime_market": ("market", "市场"),
    "regime_state": ("state", "政府"),
    "regime_grid": ("grid", "网格化"),
    "desc_market": ("negotiation, court and police only; no state intervention; owners must "
                    "self-organise unaided",
                    "只有协商、诉讼和警察；政府不介入；业主须自行组织"),
    "desc_state": ("market + committee mediation under heavy administrative burden + petition "
                   "ladder; the street office acts only after a petition, through two layers",
                   "市场 + 行政负担重的居委会调解 + 信访；街道办要到上访后才经两级层级介入"),
    "desc_grid": ("state + grid workers who detect latent disputes + hotline + joint meetings + "
                  "funded social mediation + lighter committee burden; the street office acts as "
                  "soon as a collective dispute is voiced",
                  "政府模式 + 网格员发现潜在纠纷 + 热线 + 联席会议 + 资助的社会组织调解 + "
                  "减轻居委会负担；集体纠纷一经表达街道办即介入"),
    # compare
    "compare_intro": ("The same community, the same seed and the same disputes under the three "
                      "regimes, stepping together (common random numbers).",
                      "同一社区、同一种子、同样的纠纷，在三种治理模式下同步推进（共同随机数）。"),
    "start_parking": ("Start from the parking case", "从车位案例开始"),
    "metric": ("metric", "指标"),
    "m_median_days": ("median days to resolution", "解决天数中位数"),
    "m_resolved_share": ("share resolved", "已解决比例"),
    "m_confrontations": ("confrontations", "冲突次数"),
    "m_petitions": ("petitions", "上访次数"),
    "m_satisfaction": ("households satisfied", "满意住户比例"),
    "m_staff_days": ("staff-days", "人工日"),
    "m_detected_first_share": ("found before a complaint", "投诉前即被发现"),
    "m_parking_closed_day": ("parking conflict settled (day)", "车位冲突解决（天）"),
    # replay
    "replay_intro": ("The 2010 parking conflict in community X (essay 6) beside the simulated "
                     "one. Dashed lines: what happened in 2010. Dots: this run. Grey: the same "
                     "event over several seeds.",
                     "X 小区 2010 年车位冲突（文六）与模拟对照。虚线：2010 年实际事件；圆点：本次"
                     "运行；灰点：多个种子下同一事件。"),
    "seeds_n": ("Seeds for the distribution", "分布所用种子数"),
    "replay": ("Replay", "重演"),
    "timeline_2010": ("Timeline of 2010", "2010 年时间线"),
    "narrative": ("What happened in this run", "本次运行经过"),
    "ev_confrontation": ("owners block the gate", "业主堵门"),
    "ev_guards": ("developer hires guards", "开发商雇人"),
    "ev_petition": ("petition to the district", "到区政府上访"),
    "ev_order": ("street office acts", "街道办介入"),
    "ev_assembly": ("owners' assembly", "业主大会"),
    "ev_settled": ("conflict settled", "冲突解决"),
    "never": ("did not happen in this run", "本次运行未发生"),
    "outcome": ("Outcome", "结局"),
    "outcome_agreement": ("settled by agreement", "达成协议解决"),
    "outcome_adjudicated": ("decided by an authority", "由权威机关裁决"),
    "outcome_abandoned": ("owners gave up", "业主放弃"),
    "outcome_censored": ("still open at the horizon", "期末仍未解决"),
    # about
    "about_source": ("From docs/ODD.md, in the order of NetLogo's Info tab.",
                     "内容取自 docs/ODD.md，按 NetLogo 信息页顺序排列；该文件没有中文段落时显示英文原文。"),
    "about_missing": ("This section is not in docs/ODD.md yet.", "docs/ODD.md 尚无此节。"),
    "about_no_odd": ("docs/ODD.md was not found.", "未找到 docs/ODD.md。"),
    "info_what": ("What is it?", "这是什么？"),
    "info_how": ("How it works", "工作原理"),
    "info_use": ("How to use it", "使用方法"),
    "info_notice": ("Things to notice", "值得注意"),
    "info_try": ("Things to try", "可以尝试"),
    "info_extend": ("Extending the model", "扩展模型"),
    "info_related": ("Related models", "相关模型"),
    "info_credits": ("Credits and references", "致谢与参考文献"),
    "essays": ("Source essays", "原始文献"),
    "essays_text": (
        "基层社会治理情况精选（九篇）, a collection of nine Chinese essays on grassroots social "
        "governance: essay 1 (problems: residents' committees over-loaded with administrative "
        "tasks, 行政化), essay 6 (the 2010 parking conflict 车位门 in community X, Xianlin "
        "street, Qixia district, Nanjing, and the grid reform that followed), essay 7 (dispute "
        "types and resolution channels: police, people's mediation, petitions 信访, courts), "
        "essay 9 (a district grid system: grids, grid workers, hotline, '1 + X' legal rooms).",
        "《基层社会治理情况精选（九篇）》：第 1 篇（居委会行政化等问题），第 6 篇（2010 年南京栖霞区"
        "仙林街道 X 小区“车位门”及其后的网格化改革），第 7 篇（纠纷类型与化解渠道：派出所、人民调解、"
        "信访、法院），第 9 篇（区级网格化体系：网格、网格员、热线、“1+X”法律服务室）。"),
}

INFO_SECTIONS = ("what", "how", "use", "notice", "try", "extend", "related", "credits")
INFO_HEADINGS = {  # how each section is titled in docs/ODD.md (lower case, no punctuation)
    "what": "what is it", "how": "how it works", "use": "how to use it",
    "notice": "things to notice", "try": "things to try", "extend": "extending the model",
    "related": "related models", "credits": "credits and references",
}

INFO_HEADINGS_ZH = {
    "what": "这是什么", "how": "工作原理", "use": "使用方法", "notice": "值得注意",
    "try": "可以尝试", "extend": "扩展模型", "related": "相关模型", "credits": "致谢与参考文献",
}

PARAM_LABELS: dict[str, tuple[str, str]] = {
    "negotiation": ("negotiation", "协商"),
    "court": ("court", "法院诉讼"),
    "police": ("police", "警察出警"),
    "committee_mediation": ("committee mediation", "居委会调解"),
    "social_mediation": ("social mediation", "社会组织调解"),
    "petition": ("petition ladder", "信访"),
    "hotline": ("hotline", "热线"),
    "grid_patrol": ("grid patrol", "网格巡查"),
    "joint_meeting": ("joint meetings", "联席会议"),
    "street_intervention": ("street office intervention", "街道办介入"),
    "assembly_support": ("support for owners' assembly", "支持召开业主大会"),
    "households_per_grid_worker": ("households per grid worker", "每名网格员服务住户数"),
    "committee_admin_burden": ("committees' administrative burden", "居委会行政负担"),
    "payoff_rent_accept": ("rent, owners accept", "出租，业主接受"),
    "payoff_rent_resist": ("rent, owners resist", "出租，业主抵制"),
    "payoff_sell_accept": ("sell-only, owners accept", "只售，业主接受"),
    "payoff_sell_resist": ("sell-only, owners resist", "只售，业主抵制"),
    "payoff_dual_accept": ("dual-track, owners accept", "租售并举，业主接受"),
    "payoff_dual_resist": ("dual-track, owners resist", "租售并举，业主抵制"),
}

PARAM_MEANINGS_ZH: dict[str, str] = {
    "negotiation": "当事双方直接协商",
    "court": "到法院起诉",
    "police": "警察处置现场冲突",
    "committee_mediation": "居委会调解",
    "social_mediation": "资助的社会组织/人民调解（“1+X”法律服务室）",
    "petition": "信访渠道：到区政府和街道办",
    "hotline": "统一热线（12345 式）限时派单",
    "grid_patrol": "网格员巡查，发现潜在纠纷",
    "joint_meeting": "政府、居委会、业委会、企业和业主的联席会议",
    "street_intervention": "街道办介入集体纠纷",
    "assembly_support": "街道办介入后支持召开业主大会",
    "households_per_grid_worker": "每名网格员负责的住户数",
    "committee_admin_burden": "居委会工作时间中被行政事务占用的比例（行政化）",
    "payoff_rent_accept": "（开发商，业主）收益：出租，业主接受",
    "payoff_rent_resist": "（开发商，业主）收益：出租，业主抵制",
    "payoff_sell_accept": "（开发商，业主）收益：只售，业主接受",
    "payoff_sell_resist": "（开发商，业主）收益：只售，业主抵制",
    "payoff_dual_accept": "（开发商，业主）收益：租售并举，业主接受",
    "payoff_dual_resist": "（开发商，业主）收益：租售并举，业主抵制",
}

_SOURCE_ZH = [  # fragments of source strings in govsim.parameters, in Chinese
    ("MODEL.md §5 (regime presets)", "MODEL.md 第 5 节（模式预设）"),
    ("MODEL.md §2: 160–255 households per grid worker", "MODEL.md 第 2 节：每名网格员 160–255 户"),
    ("MODEL.md completion of essay 6", "MODEL.md 对文六的补全"),
    ("essay 1: committees over-loaded", "文一：居委会负担过重"),
    ("essay 6", "文六"),
    ("assumption", "假设"),
]


def tr(key: str, lang: str, **fmt) -> str:
    text = STRINGS[key][1 if lang == "zh" else 0]
    return text.format(**fmt) if fmt else text


def regime_name(regime: str, lang: str) -> str:
    return tr(f"regime_{regime}", lang)


def param_text(name: str, lang: str) -> tuple[str, str, str]:
    """(label, one-line meaning, source) of a parameter a student may touch."""
    from govsim.parameters import PARAMETERS

    spec = PARAMETERS[name]
    label = PARAM_LABELS.get(name, (name, name))[1 if lang == "zh" else 0]
    if lang != "zh":
        return label, spec.meaning, spec.source
    source = spec.source
    for en, zh in _SOURCE_ZH:
        source = source.replace(en, zh)
    return label, PARAM_MEANINGS_ZH.get(name, spec.meaning), source


_CHANNELS_ZH = {"legal_service": "“1+X”法律服务（综合调解室）", "special_handling": "特案特办", "grid_mediation": "网格内就地调处（下沉干部）",
                "service_centre": "服务中心（网格、物业、高校、商业）",
                "negotiation": "协商", "committee_mediation": "居委会调解（人民调解）",
                "social_mediation": "社会组织调解", "court": "法院", "petition": "信访",
                "hotline": "服务热线", "owners_committee": "业委会", "joint_meeting": "网格联席会议",
                "police": "派出所"}
_STRATEGIES_ZH = {"rent": "出租", "sell_only": "只售不租", "dual_track": "租售并行（双轨制）"}
_ACTORS_ZH = {"developer": "开发商", "owners": "业主", "household": "住户",
              "grid_worker": "网格员", "street_office": "街道办"}


def _ch(e) -> str:
    return _CHANNELS_ZH.get(e.channel or "", e.channel or "")


def _strategy(e) -> str:
    return _STRATEGIES_ZH.get(e.detail or "", e.detail or "")


# Chinese wording of each kind of event, from its fields (never from its English text).
_EVENTS_ZH = {
    "opened": lambda e: "纠纷发生",
    "notice": lambda e: f"{_ACTORS_ZH.get(e.actor, e.actor)}宣布自今日起车位{_strategy(e)}；"
                        f"{e.crowd} 户租车位的业主被拦在小区外",
    "voiced": lambda e: {"grid_worker": "网格员巡查中发现", "owners": "业主投诉"}.get(
        e.actor, "住户投诉（已反映）"),
    "detected": lambda e: "网格员在投诉前发现",
    "followed_up": lambda e: "网格员回访核实，未解决的重新处理（问题处置核实）",
    "submitted": lambda e: f"提交{_ch(e)}",
    "reneged": lambda e: f"等候过久，另寻渠道（放弃{_ch(e)}）",
    "not_settled": lambda e: f"{_ch(e)}未能化解",
    "collective_action": lambda e: (f"{e.crowd} 户业主参与集体行动" if e.crowd
                                    else "集体行动暂停"),
    "confrontation": lambda e: f"{e.crowd} 户业主在小区门口对峙",
    "police_call": lambda e: "有人报警，派出所出警",
    "guards_hired": lambda e: "开发商雇用社会人员（小混混）冒充保安",
    "petition": lambda e: ((f"{e.crowd} 户业主到区政府上访" if e.crowd else "上访（信访）")
                           + {"repeat": "（再次上访）", "skip-level": "（越级到市里上访）"}.get(
                               e.detail or "", "")),
    "special_handling": lambda e: "领导接访，特案特办：调动多个部门的资源",
    "referred": lambda e: "信访件在部门之间转来转去（踢皮球）",
    "state_order": lambda e: "街道办责令开发商和物业公司让业主车辆正常停放",
    "assembly_backed": lambda e: "街道办支持召开业主大会（指导成立筹备组）",
    "assembly_organised": lambda e: "业主自发筹备业主大会",
    "assembly_called": lambda e: "发出业主大会会议通知（提前 15 日通知全体业主）",
    "assembly_failed": lambda e: "参加投票的业主不足，业主大会须重新召集",
    "firm_replaced": lambda e: "业委会选聘的新物业公司接管小区（开发商与原物业的“共谋”结束）",
    "assembly_held": lambda e: "业主大会（{}）选出业委会".format(
        "政府支持" if e.detail == "state-backed" else "业主自发"),
    "joint_meeting": lambda e: "网格联席会议（街道、居委会、业委会、驻街单位、物业公司）研究该纠纷",
    "strategy_switch": lambda e: f"开发商改为{_strategy(e)}",
    "deal": lambda e: f"业主接受{_strategy(e)}方案",
    "resolved": lambda e: f"经{_ch(e)}化解" if e.channel else f"冲突平息（{_strategy(e)}）",
    "abandoned": lambda e: "当事人放弃",
    "censored": lambda e: "期末仍未化解",
}


def event_text(record: dict, lang: str) -> str:
    """One event of the log (a record) in the reader's language, written from its kind and
    fields."""
    from govsim.events import Event

    event = Event.from_record(record)
    if lang != "zh":
        return event.note
    return _EVENTS_ZH[event.kind.value](event)


# ---- fonts --------------------------------------------------------------------------------
_CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
                 "Droid Sans Fallback", "AR PL UMing CN")
_CJK_FILES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def setup_fonts() -> str | None:
    """Make matplotlib draw Chinese: register a CJK font found on the system and put it after
    DejaVu Sans as a fallback. Returns the family used, or None when none is installed
    (``make app``/``make test`` install Debian's fonts-wqy-microhei)."""
    for path in _CJK_FILES:
        if Path(path).exists():
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError):
                continue
    names = {f.name for f in font_manager.fontManager.ttflist}
    family = next((f for f in _CJK_FAMILIES if f in names), None)
    # A list of families is searched glyph by glyph (matplotlib >= 3.6).
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", *([family] if family else [])]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family
