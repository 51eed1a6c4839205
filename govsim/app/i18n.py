"""Every word the app shows, in English and Chinese.

``tr(key, lang)`` looks a label up (a missing key is a programming error, so it raises);
``event_text(record, lang)`` writes an event of the log from its kind and fields;
``param_text`` gives a parameter's label, meaning and source (:mod:`govsim.app.i18n_params`).
Chinese follows ``shared/design/CHINESE.md``: 对峙 for the confrontation at the gate, 派出所
for the police, 平息 for the conflict as a whole, full-width punctuation.
"""

from __future__ import annotations

from govsim.app.i18n_params import param_text  # noqa: F401  (re-exported)
from govsim.events import AssemblySupport, PetitionAgain
from govsim.institutions import DESCRIPTIONS

LANGS = ("en", "zh")

STRINGS: dict[str, tuple[str, str]] = {
    # shell
    "app_title": ("govsim — governing a community three ways", "govsim — 社区治理的三种方式"),
    "page_explore": ("Explore", "探索"),
    "page_compare": ("Compare", "比较"),
    "page_replay": ("Case replay", "案例重演"),
    "page_round": ("Class round", "课堂博弈"),
    "page_about": ("About", "关于"),
    "projector": ("Projector mode", "投影模式"),
    "scenario": ("Scenario", "情景"),
    "error": ("This run stopped with an error; the app keeps serving. Details:",
              "本次运行因错误而停止；应用仍可继续使用。详情："),
    # controls
    "step": ("Step", "单步"),
    "play": ("Play", "连续运行"),
    "pause": ("Pause", "暂停"),
    "reset": ("Reset", "重置"),
    "run_to_end": ("Run to end", "运行到结束"),
    "speed": ("Speed", "速度"),
    "speed_value": ("{v} days per second", "每秒 {v} 天"),
    "playing_at": ("playing: {rate} days per second", "运行中：每秒 {rate} 天"),
    "capped": ("playing at {rate} days per second, below the {speed} chosen: the server is "
               "busy (capped)", "运行中：每秒 {rate} 天，低于所选的 {speed} 天——服务器繁忙，速度受限"),
    "paused": ("paused", "已暂停"),
    "step_while_playing": ("Pause first to step one day at a time.", "请先暂停，再逐日单步运行。"),
    "regime": ("Regime", "治理模式"),
    "seed": ("Seed (random number stream)", "随机种子"),
    "seed_help": ("Same seed, same community and same disputes: the run is reproducible.",
                  "同一种子 → 同一社区、同样的纠纷：结果可复现。"),
    "bad_seed": ("“{value}” is not a seed: enter a whole number from 0 to {max}. The run was "
                 "not changed.", "“{value}”不是有效的种子：请输入 0 到 {max} 之间的整数。运行未作改动。"),
    "institutions": ("Institutions (switch single ones on or off)",
                     "制度安排（可逐项开启或关闭）"),
    "levers": ("Levers of the regime", "治理模式的调节参数"),
    "more_levers": ("More levers", "更多参数"),
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
    "png": ("Save as PNG", "保存为 PNG"),
    "changed_params": ("Changed from the scenario", "相对情景的改动"),
    "none": ("none", "无"),
    "on": ("on", "开启"),
    "off": ("off", "关闭"),
    "list_sep": (", ", "、"),
    "colon": (": ", "："),
    "needs": ("Does nothing under this regime: it needs {switches}.",
              "在当前治理模式下不起作用：需要先开启{switches}。"),
    "or": (" or ", "或"),
    "notice_param": ("Restarted from day 0 because {name} changed to {value}: the community "
                     "is built with it, so the run starts again.",
                     "已从第 0 天重新开始：{name}改为{value}，模型需按新设定重建，因此重新运行。"),
    "notice_regime": ("Restarted from day 0 under the {regime} regime.",
                      "已按“{regime}”模式从第 0 天重新开始。"),
    "notice_cleared": ("Its preset replaced your institution changes ({changes}).",
                       "该模式的预设取代了你对制度安排的改动（{changes}）。"),
    "notice_kept": ("Your other changes stay.", "其他改动保留不变。"),
    "notice_seed": ("Restarted from day 0 with seed {value}.", "已用种子 {value} 从第 0 天重新开始。"),
    "notice_reset": ("Restarted from day 0 (Reset).", "已重置，从第 0 天重新开始。"),
    "notice_scenario": ("Restarted from day 0 on the parking case, seed 0.",
                        "已载入车位案例（种子 0），从第 0 天重新开始。"),
    # monitors
    "day": ("Day", "第几天"),
    "days_run": ("Days simulated", "已模拟天数"),
    "date": ("Date", "日期"),
    "open_disputes": ("Open disputes", "未结纠纷"),
    "median_so_far": ("Median days to resolution so far", "目前已化解纠纷的用时中位数（天）"),
    "not_yet": ("not reached yet", "尚未达到"),
    "not_by": ("not reached by day {day}", "到第 {day} 天仍未达到"),
    "not_settled_by": ("not settled by day {day}", "到第 {day} 天仍未平息"),
    "finished": ("Finished at the horizon: disputes still open are censored there.",
                 "已到模拟期末：仍未结的纠纷按删失处理。"),
    # figures
    "fig_network": ("The community: households and organisations", "社区：住户与各组织"),
    "fig_stages": ("Open disputes by stage", "各阶段未结纠纷"),
    "fig_escalation": ("Confrontations and petitions (cumulative)", "对峙与上访（累计）"),
    "fig_satisfaction": ("Households satisfied", "满意住户比例"),
    "fig_trust": ("Mean trust by organisation", "对各组织的平均信任"),
    "fig_km": ("Time to resolution (Kaplan–Meier, so far)",
               "纠纷化解所需时间（Kaplan–Meier 估计，截至目前）"),
    "fig_open_by_regime": ("Open disputes", "未结纠纷"),
    "fig_timeline": ("The parking conflict: 2010 and simulated", "车位冲突：2010 年与模拟对照"),
    "axis_day": ("day", "天"),
    "days_unit": ("days", "天"),
    "axis_count": ("count", "数量"),
    "axis_share": ("share", "比例"),
    "axis_days_since": ("days since the dispute arose", "纠纷发生后的天数"),
    "axis_unresolved": ("share still unresolved", "仍未化解的比例"),
    "confrontations": ("confrontations", "对峙"),
    "petitions": ("petitions", "上访"),
    "police_calls": ("police calls", "报警"),
    "no_dispute": ("no open dispute", "无未结纠纷"),
    "heat_low": ("low", "低"),
    "heat_grievance": ("high grievance", "不满程度高"),
    "heat_share": ("many households in dispute (buildings)", "楼栋内涉纠纷住户多"),
    "aggregated_note": ("{n} households: each square is a building, its size the "
                        "households in it.", "{n} 户：每个方块代表一栋楼，大小表示楼内住户数。"),
    "median": ("median", "中位数"),
    "reference_2010": ("2010 (essay 6)", "2010 年（第 6 篇）"),
    "this_run": ("this run", "本次运行"),
    "over_seeds": ("over {n} seeds", "{n} 个种子的结果"),
    "over_seeds_short": ("other seeds (bubble size: how many)", "其他种子（气泡越大，次数越多）"),
    "click_hint": ("Click a household or an organisation to see its state.",
                   "点击住户或组织，查看其状态。"),
    # stages
    "stage_latent": ("latent", "潜在"),
    "stage_voiced": ("voiced", "已反映（已投诉）"),
    "stage_in_handling": ("in handling", "处理中"),
    "stage_collective_action": ("collective action", "集体行动"),
    "stage_confrontation": ("confrontation", "对峙"),
    "stage_petition": ("petition", "上访"),
    "stage_resolved": ("resolved", "已化解"),
    "stage_abandoned": ("given up", "已放弃"),
    "stage_censored": ("open at the horizon", "期末仍未结"),
    # organisations (whom residents trust) and the network's nodes
    "org_committee": ("neighbourhood committee", "居委会"),
    "org_owners_committee": ("owners' committee", "业委会"),
    "org_social_org": ("social organisation", "社会组织"),
    "org_street_office": ("street office", "街道办"),
    "org_police": ("police station", "派出所"),
    "org_court": ("court", "法院"),
    "org_developer": ("developer", "开发商"),
    "org_grid": ("grid and hotline", "网格与服务热线"),
    "org_legal": ("legal services (1+X)", "“1+X”法律服务"),
    "node_committee": ("neighbourhood committee", "居委会"),
    "node_owners_committee": ("owners' committee (grey: not elected yet)",
                              "业委会（灰色：尚未选出）"),
    "node_social_org": ("social organisation", "社会组织"),
    "node_developer": ("developer (red: sells only; green: rents; blue: dual track)",
                       "开发商（红：只售不租；绿：出租；蓝：租售并行）"),
    "node_street_office": ("street office", "街道办"),
    "node_grid_worker": ("grid worker", "网格员"),
    "node_petition_office": ("petition office (信访)", "信访部门"),
    "node_other": ("organisation", "组织"),
    "org_other": ("another organisation", "其他组织"),
    # a node's state
    "household_n": ("Household {id}", "住户 {id}"),
    "building_n": ("Building {id}", "楼栋 {id}"),
    "building": ("building", "楼栋"),
    "grid_cell": ("grid cell", "网格"),
    "renter": ("rents a parking space", "租用车位"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "satisfaction": ("satisfaction", "满意度"),
    "trust_in": ("trust in", "信任"),
    "disputes_of": ("disputes", "纠纷"),
    "no_disputes": ("no dispute so far", "目前没有纠纷"),
    "more_disputes": ("and {n} more", "另有 {n} 起"),
    "opened_day": ("since day {day}", "自第 {day} 天起"),
    "claimants": ("{n} households", "{n} 户"),
    "grievance": ("grievance", "不满程度"),
    "at_channel": ("at", "所在渠道"),
    "households": ("households", "住户"),
    "in_dispute": ("in dispute", "涉纠纷"),
    "mean_grievance": ("mean grievance", "平均不满程度"),
    "trust_among": ("mean trust of households in it", "住户对其平均信任"),
    "channel_state": ("{queued} waiting, {in_service} being handled, {served} handled so far",
                      "等候 {queued} 件，处理中 {in_service} 件，累计处理 {served} 件"),
    "channel_closed": ("not in place under this regime", "当前治理模式下未设立"),
    "strategy_now": ("parking strategy now", "当前车位策略"),
    "elected": ("elected by an owners' assembly", "已由业主大会选出"),
    "not_elected": ("not elected yet", "尚未选出"),
    # regimes
    "regime_market": ("market", "市场主导"),
    "regime_state": ("state", "政府主导"),
    "regime_grid": ("grid", "网格化治理"),
    # the English of each regime is the library's own (govsim.institutions.DESCRIPTIONS)
    "desc_market": (DESCRIPTIONS["market"], "只有协商、诉讼和派出所；政府不介入；业主须自行组织"),
    "desc_state": (DESCRIPTIONS["state"],
                   "市场主导的渠道 + 行政负担重的居委会调解 + 信访；街道办要等到上访之后，经两级层级才行动"),
    "desc_grid": (DESCRIPTIONS["grid"],
                  "政府主导的渠道 + 网格员在投诉之前发现纠纷 + 网格三级处置（下沉网格的街道干部、服务中心、街道）"
                  " + 统一服务热线（指挥中心派单并全程督办）+ 定期网格联席会议 + 资助的社会组织 + “1+X”法律服务"
                  " + 信息平台 + 按结果考核干部；集体纠纷一经反映，街道办经一个层级即行动"),
    # compare
    "compare_intro": ("The same community, the same seed and the same disputes under the three "
                      "regimes, stepping together (common random numbers).",
                      "同一社区、同一种子、同样的纠纷，在三种治理模式下同步推进（共同随机数）。"),
    "start_parking": ("Start from the parking case", "从车位案例开始"),
    "metric": ("metric", "指标"),
    "m_median_days": ("median days to resolution", "化解天数中位数"),
    "m_resolved_share": ("share resolved", "已化解比例"),
    "m_confrontations": ("confrontations", "对峙次数"),
    "m_petitions": ("petitions", "上访次数"),
    "m_satisfaction": ("households satisfied", "满意住户比例"),
    "m_staff_days": ("staff-days", "人力投入（人·日）"),
    "m_detected_first_share": ("found before a complaint", "投诉前即被发现的比例"),
    "m_parking_closed_day": ("parking conflict settled (day)", "车位冲突平息（第几天）"),
    "m_median_days_from_report": ("median days from the first report",
                                  "自首次反映起的化解天数中位数"),
    "m_repeat_petitions": ("repeat petitions (缠访、反复上访)", "重复上访次数（缠访、反复上访）"),
    "m_skip_level_petitions": ("skip-level petitions (越级上访)", "越级上访次数"),
    "m_special_handlings": ("cases given special handling (特案特办)", "特案特办次数"),
    "m_satisfaction_parking_claimants": ("satisfied: the parking claimants",
                                         "满意比例：维权的车位业主"),
    "m_satisfaction_others": ("satisfied: the other households", "满意比例：其他住户"),
    # compare: why grid wins (govsim.validation.decompose, shipped with the docs)
    "why_title": ("Why grid wins: each institution's share", "网格化为何胜出：各项制度的贡献"),
    "why_intro": ("The grid regime is the state regime plus {n} institutions. Each one's share "
                  "of the grid − state difference is its Shapley value: its effect averaged "
                  "over every order in which the institutions could be added, from runs of "
                  "every combination of them on the same {seeds} paired seeds (govsim "
                  "decompose). The shares add up to the total; brackets hold 95% intervals "
                  "over seeds. Green bars are in the grid's favour, orange against it. "
                  "Computed for this scenario as shipped, not for the run above.",
                  "网格化模式即政府主导模式加上 {n} 项制度。每项制度在“网格化 − 政府主导”差值中的贡献"
                  "是其沙普利值：把各项制度按所有可能的顺序逐项加入，取其边际效应的平均；所用的是"
                  "全部制度组合在同样 {seeds} 对种子上的运行结果（govsim decompose）。各项贡献之和"
                  "等于总差值；方括号内为跨种子的 95% 区间。绿色条有利于网格化，橙色条不利。"
                  "结果针对本情景的原始设定计算，并非上方这次运行。"),
    "why_none": ("No decomposition ships for this scenario with these parameters. Compute one "
                 "from the command line: {command}",
                 "本情景（按当前参数）没有随附的分解结果。可在命令行计算：{command}"),
    "why_total": ("total (grid − state)", "合计（网格化 − 政府主导）"),
    "why_institution": ("institution", "制度"),
    "why_chart": ("Share of the difference in {metric}", "{metric}差值的分解"),
    "m_rmst_days": ("mean days to resolution within the horizon (RMST)",
                    "限定时间内的平均化解天数（RMST）"),
    "m_satisfaction_pp": ("households satisfied (percentage points)",
                          "满意住户比例（百分点）"),
    "inst_detection": ("grid workers' patrols find disputes", "网格员巡查发现"),
    "inst_grid_levels": ("the grid's levels (sunk cadres, service centre)",
                         "网格分级处置（下沉干部、服务中心）"),
    "inst_hotline": ("unified hotline and command centre", "统一服务热线与指挥中心"),
    "inst_joint_meetings": ("regular grid joint meetings", "网格联席会议（定期召开）"),
    "inst_social_organisations": ("funded social organisations", "社会组织（政府资助）"),
    "inst_legal_services": ("“1+X” legal services", "“1+X”法律服务模式"),
    "inst_assessment": ("assessment, supervision, accountability", "考核、监督、问责"),
    "inst_flat_proactive_state": ("a flat, proactive street office (platform, acts once "
                                  "voiced)", "扁平化、主动的街道（信息平台、一经反映即行动）"),
    "inst_scenario_grid_settings": ("the scenario's other grid settings",
                                    "情景中网格模式的其他设定"),
    # replay
    "replay_intro": ("The 2010 parking conflict in community X (essay 6) beside the simulated "
                     "one: each milestone of this run beside its date in 2010, the same "
                     "milestones over several seeds, and the story of this run.",
                     "X 小区 2010 年车位冲突（第 6 篇）与模拟对照：本次运行的每个节点与 2010 年"
                     "的日期逐项对照，多个种子下的同一节点，以及本次运行的经过。"),
    "seeds_n": ("Seeds for the distribution", "用于分布的种子数"),
    "timeline_2010": ("Timeline of 2010", "2010 年时间线"),
    "milestones": ("This run against 2010, milestone by milestone",
                   "本次运行与 2010 年逐项对照"),
    "col_milestone": ("milestone", "节点"),
    "col_run": ("this run", "本次运行"),
    "col_2010": ("2010", "2010 年"),
    "col_difference": ("difference", "差异"),
    "later": ("{n} days later", "晚 {n} 天"),
    "earlier": ("{n} days earlier", "早 {n} 天"),
    "same_day": ("same day", "同一天"),
    "one_day_later": ("1 day later", "晚 1 天"),
    "one_day_earlier": ("1 day earlier", "早 1 天"),
    "did_not_happen": ("did not happen by day {day}", "到第 {day} 天仍未发生"),
    "no_source_date": ("no date in the source", "原文未给出日期"),
    "ms_resolved": ("conflict settled", "冲突平息"),
    "ms_confrontation": ("first confrontation at the gate", "小区门口首次对峙"),
    "ms_guards_hired": ("developer hires toughs as guards", "开发商雇用社会人员冒充保安"),
    "ms_petition": ("petition to the district", "到区政府上访"),
    "ms_state_order": ("street office's order", "街道办责令整改"),
    "ms_assembly_held": ("owners' assembly elects a committee", "业主大会选出业委会"),
    "ms_other": ("milestone", "节点"),
    "col_source": ("what happened in 2010", "2010 年的经过"),
    "narrative": ("What happened in this run", "本次运行经过"),
    "day_n": ("day {day}", "第 {day} 天"),
    "days_n": ("days {first}–{last}", "第 {first}–{last} 天"),
    "every_day": ("every day", "每天"),
    "on_days": ("on {n} of these days", "其间有 {n} 天"),
    "answer_after_petition": (
        "不闹不解决 (“no fuss, no solution”): the street office acted on day {order}, "
        "{gap} after the owners petitioned (day {petition}) and {since} after the first "
        "confrontation at the gate (day {confrontation}).",
        "不闹不解决：街道办在第 {order} 天才行动——业主上访（第 {petition} 天）之后 {gap}，"
        "距小区门口第一次对峙（第 {confrontation} 天）已过 {since}。"),
    "answer_before_petition": (
        "The street office acted on day {order}, before any petition: it did not wait for a "
        "fuss.", "街道办在第 {order} 天行动，没有等到上访：不必“闹”也能得到回应。"),
    "answer_petition_unanswered": (
        "The owners petitioned on day {petition}; the street office never acted in this run.",
        "业主在第 {petition} 天上访；本次运行中街道办始终没有行动。"),
    "answer_no_state": (
        "No petition and no action by the street office in this run: under this regime "
        "nothing brings the state in.", "本次运行中既无上访，街道办也未行动：在这种治理模式下，没有任何渠道把政府引入。"),
    "gap_days": ("{n} days", "{n} 天"),
    "gap_day": ("1 day", "1 天"),
    "gap_same": ("the same day", "当天"),
    "outcome": ("Outcome", "结局"),
    "outcome_agreement": ("settled by agreement", "达成协议，冲突平息"),
    "outcome_adjudicated": ("decided by a court or the petition office",
                            "由法院判决或信访部门处理"),
    "outcome_abandoned": ("the owners gave up", "业主放弃"),
    "outcome_censored": ("still open at the horizon", "期末仍未平息"),
    "computing": ("Running the replay…", "正在重演……"),
    # class round
    "round_intro": ("A round of the parking game for the class: the lecturer opens it and shows "
                    "the code; students join from their own browsers as owners or as the "
                    "developer and choose, round after round.",
                    "全班一起玩车位博弈：教师开启一轮并展示代码；学生在自己的浏览器中以业主或开发商的身份加入，"
                    "一轮一轮地作出选择。"),
    "round_lead_title": ("Lecturer: lead a round", "教师：主持一轮博弈"),
    "round_lead_help": ("You get a short code to show the class. Between rounds you may put an "
                        "order, an owners' assembly or a joint meeting in place.",
                        "你会得到一个简短的代码，展示给全班。每轮之间可以加入街道办责令整改、业主大会或网格联席会议。"),
    "round_open": ("Open a round", "开启一轮博弈"),
    "round_join_title": ("Student: join a round", "学生：加入博弈"),
    "round_code_input": ("Code shown by the lecturer", "教师展示的代码"),
    "round_name": ("Your name (optional)", "你的名字（可不填）"),
    "round_join": ("Join", "加入"),
    "round_unknown_code": ("No round with the code “{code}” is open on this server.",
                           "本服务器上没有代码为“{code}”的博弈。"),
    "round_gone": ("That round has closed.", "该轮博弈已关闭。"),
    "round_leave": ("Leave this round", "离开本轮博弈"),
    "role_owner": ("owner", "业主"),
    "role_developer": ("developer", "开发商"),
    "choice_accept": ("accept", "接受"),
    "choice_resist": ("resist", "抵制"),
    "round_code_big": ("Round code: {code}", "博弈代码：{code}"),
    "round_join_hint": ("Students: open this app, choose “Class round”, enter {code} and "
                        "pick a role.", "学生：打开本应用，进入“课堂博弈”，输入 {code} 并选择角色。"),
    "round_terms_title": ("Institutions in force in round {n}", "第 {n} 轮中实行的制度"),
    "term_order": ("street office's order (责令整改)", "街道办责令整改"),
    "term_order_help": ("Selling only against the order costs the developer the expected "
                        "sanction q × F (our extension: the source reports the order, not how "
                        "it was enforced).",
                        "违抗责令只售不租，开发商要承担预期惩罚 q × F（本模型的扩展：原文记载了责令，未说明如何执行）。"),
    "term_assembly": ("owners' assembly elects an owners' committee",
                      "业主大会选出业委会"),
    "term_assembly_help": ("A counterpart that binds the owners: an owner who resists a deal "
                           "the committee agreed to pays the agreement penalty, and the dual "
                           "track becomes possible.",
                           "一个能代表业主、使协议对全体业主有约束力的主体：业委会同意的方案，业主再抵制就要付出违约代价；"
                           "租售并行也因此成为可能。"),
    "term_own_firm": ("the committee's own property firm", "业委会选聘的物业公司"),
    "term_own_firm_help": ("It no longer bars owners' cars for the developer: selling only "
                           "cannot be enforced (needs the assembly first).",
                           "新物业公司不再替开发商拦业主的车：只售不租无法执行（须先有业主大会）。"),
    "term_joint_meeting": ("grid joint meeting", "网格联席会议"),
    "term_joint_meeting_help": ("A joint meeting hears both sides, but it binds nobody: it "
                                "cannot commit the owners, so no payoff changes.",
                                "网格联席会议能听取双方意见，但不能约束任何一方：它不能代表业主作出承诺，所以收益不变。"),
    "term_none": ("none (the market alone)", "无（只有市场）"),
    "round_terms_locked": ("Students have chosen already: change the institutions after this "
                           "round is revealed.", "已有学生作出选择：请在本轮揭晓之后再调整制度。"),
    "round_prediction": ("The game predicts: the developer chooses {developer}, the owners "
                         "{owners}. Pure Nash equilibria: {equilibria}.",
                         "博弈的预测：开发商选择{developer}，业主选择{owners}。纯策略纳什均衡：{equilibria}。"),
    "round_no_equilibrium": ("none", "无"),
    "round_reveal": ("Reveal round {n}", "揭晓第 {n} 轮"),
    "round_next": ("Start round {n}", "开始第 {n} 轮"),
    "round_chosen_count": ("{n} of {total} players have chosen", "{total} 名参与者中已有 {n} 人作出选择"),
    "round_nobody": ("Nobody has joined yet.", "还没有人加入。"),
    "round_col_name": ("name", "姓名"),
    "round_col_role": ("role", "角色"),
    "round_col_choice": ("choice", "选择"),
    "round_col_payoff": ("payoff", "收益"),
    "round_col_total": ("total", "累计"),
    "round_waiting": ("choosing…", "尚未选择……"),
    "round_has_chosen": ("has chosen", "已选择"),
    "round_no_choice": ("did not choose", "未选择"),
    "round_history": ("Round by round", "逐轮结果"),
    "round_col_round": ("round", "轮次"),
    "round_col_terms": ("institutions", "制度"),
    "round_col_predicted": ("predicted (developer / owners)", "预测（开发商 / 业主）"),
    "round_col_devs": ("developers chose", "开发商的选择"),
    "round_col_owners": ("owners chose", "业主的选择"),
    "round_col_payoffs": ("mean payoffs", "平均收益"),
    "round_col_close": ("chose as predicted", "与预测一致的比例"),
    "round_mean_payoffs": ("developer {developer}, owners {owners}", "开发商 {developer}，业主 {owners}"),
    "round_model_played": ("the model's developer played {choice}", "模型中的开发商选择了{choice}"),
    "round_chart": ("How close the class comes to the prediction", "全班的选择与预测有多接近"),
    "round_share_all": ("everyone as predicted", "全体与预测一致"),
    "round_share_devs": ("developers as predicted", "开发商与预测一致"),
    "round_share_owners": ("owners as predicted", "业主与预测一致"),
    "round_share_reply": ("owners' best reply to their developer", "业主对其开发商作出最优反应"),
    "round_matrix": ("Payoffs (developer, owners) under these institutions",
                     "在这些制度下的收益（开发商，业主）"),
    "round_no_sell": ("not possible: the owners' own firm does not bar their cars",
                      "不可行：业主自己的物业公司不会拦他们的车"),
    "round_no_dual": ("not possible: nobody can bind the owners to a deal (needs an owners' "
                      "assembly)", "不可行：没有人能使协议对业主有约束力（须有业主大会）"),
    "round_you_are": ("You are {name}, playing the {role}, in round {code}.",
                      "你是{name}，扮演{role}，所在博弈代码为 {code}。"),
    "round_n_terms": ("Round {n}. Institutions in force: {terms}.", "第 {n} 轮。实行的制度：{terms}。"),
    "round_choose": ("Your choice this round:", "本轮你的选择："),
    "round_your_choice": ("You chose {choice}. Waiting for the lecturer to reveal the round; you "
                          "may still change your mind.", "你选择了{choice}。等待教师揭晓本轮结果；揭晓之前仍可更改。"),
    "round_revealed": ("Round {n} is revealed.", "第 {n} 轮已揭晓。"),
    "round_your_developer": ("Your developer chose {choice}.", "你的开发商选择了{choice}。"),
    "round_your_payoff": ("Your payoff this round: {pay}; in total: {total}.",
                          "你本轮的收益：{pay}；累计：{total}。"),
    "round_wait_next": ("Wait for the lecturer to start the next round.", "请等待教师开始下一轮。"),
    "round_not_joined": ("You have not joined this round.", "你尚未加入这一轮博弈。"),
    "round_not_allowed": ("That choice is not possible under the institutions in force.",
                          "在当前制度下不能作这一选择。"),
    "round_bad_role": ("Choose a role: owner or developer.", "请选择角色：业主或开发商。"),
    "round_full": ("This round is full ({n} players).", "本轮博弈人数已满（{n} 人）。"),
    "round_reveal_first": ("Reveal this round first.", "请先揭晓本轮。"),
    "round_already_revealed": ("This round is revealed already.", "本轮已揭晓。"),
    # about
    "about_source": ("From docs/ODD.md, in the order of NetLogo's Info tab.",
                     "内容取自 docs/ODD.md 的中文信息页，按 NetLogo 信息页顺序排列。"),
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
        "governance: essay 1 (problems: neighbourhood committees over-loaded with "
        "administrative tasks, 行政化), essay 6 (the 2010 parking conflict 车位门 in "
        "community X, Xianlin street, district Q of Nanjing — Qixia district, an inference — "
        "and the grid reform that followed), essay 7 (dispute types and resolution channels: "
        "the police station, people's mediation, petitions 信访, courts), essay 9 (a district "
        "grid system: grids, grid workers, the hotline, the '1+X' legal services).",
        "《基层社会治理情况精选（九篇）》：第 1 篇（居委会行政化等问题），第 6 篇（南京 Q 区"
        "（即栖霞区，推断）仙林街道 X 小区 2010 年“车位门”及其后的网格化改革），第 7 篇（纠纷类型与"
        "化解渠道：派出所、人民调解、信访、法院），第 9 篇（区级网格化体系：网格、网格员、统一服务"
        "热线、“1+X”法律服务模式）。"),
}


def tr(key: str, lang: str, **fmt) -> str:
    text = STRINGS[key][1 if lang == "zh" else 0]
    return text.format(**fmt) if fmt else text


def tr_first(keys: tuple[str, ...], lang: str) -> str:
    """The first of ``keys`` there is a label for: a name the model gained after this
    module (an organisation, a node kind) still reads as a word, in either language."""
    return tr(next(k for k in keys if k in STRINGS), lang)


def regime_name(regime: str, lang: str) -> str:
    return tr(f"regime_{regime}", lang)


def scenario_title(scenario, lang: str) -> str:
    """The scenario's title; in Chinese its ``title_zh`` where the file gives one."""
    if lang == "zh" and getattr(scenario, "title_zh", ""):
        return scenario.title_zh
    return scenario.title or scenario.name


def days_text(n: int, lang: str) -> str:
    """"{n} days" after an event: 1 day, the same day."""
    if n == 0:
        return tr("gap_same", lang)
    return tr("gap_day", lang) if n == 1 else tr("gap_days", lang, n=n)


# ---- events ---------------------------------------------------------------------------------
CHANNELS_ZH = {"legal_service": "“1+X”法律服务（综合调解室）", "special_handling": "特案特办",
               "grid_mediation": "网格内就地调处（下沉干部）",
               "service_centre": "服务中心（网格、物业、高校、商业）",
               "negotiation": "协商", "committee_mediation": "居委会调解（人民调解）",
               "social_mediation": "社会组织调解", "court": "法院", "petition": "信访",
               "hotline": "统一服务热线", "owners_committee": "业委会",
               "joint_meeting": "网格联席会议", "police": "派出所"}
CHANNELS_EN = {"committee_mediation": "neighbourhood-committee mediation",
               "legal_service": "'1+X' legal services", "grid_mediation": "mediation in the grid",
               "owners_committee": "owners' committee", "hotline": "hotline",
               "joint_meeting": "joint meeting", "police": "police station"}
STRATEGIES = {"rent": ("rent", "出租"), "sell_only": ("sell only", "只售不租"),
              "dual_track": ("dual track (rent and sell)", "租售并行（双轨制）")}
DISPUTE_TYPES = {"neighbour": ("neighbours", "邻里纠纷"), "family": ("family", "婚姻家庭纠纷"),
                 "property_service": ("property service", "物业服务纠纷"),
                 "parking": ("parking (车位门)", "车位纠纷（车位门）"),
                 "environment": ("environment", "环境污染纠纷"),
                 "consumer": ("consumer rights", "消费者权益纠纷"),
                 "wages": ("unpaid wages", "拖欠工资纠纷"),
                 "demolition": ("land and demolition", "征地拆迁纠纷")}
_ACTORS_ZH = {"developer": "开发商", "owners": "业主", "household": "住户",
              "grid_worker": "网格员", "street_office": "街道办"}


def channel_name(name: str | None, lang: str) -> str:
    if not name:
        return ""
    if lang == "zh":
        return CHANNELS_ZH.get(name, "其他渠道")
    return CHANNELS_EN.get(name, name.replace("_", " "))


def strategy_name(name: str | None, lang: str) -> str:
    en, zh = STRATEGIES.get(name or "", (str(name or "").replace("_", " "), "其他策略"))
    return zh if lang == "zh" else en


def dispute_type_name(name: str, lang: str) -> str:
    en, zh = DISPUTE_TYPES.get(name, (name.replace("_", " "), "其他纠纷"))
    return zh if lang == "zh" else en


def _ch(e) -> str:
    return channel_name(e.channel, "zh")


def _strategy(e) -> str:
    return strategy_name(e.detail, "zh")


# Chinese wording of each kind of event, from its fields (never from its English text).
# Kind value -> function of the event; a kind missing here reads as _EVENT_ZH_FALLBACK.
_EVENTS_ZH = {
    "opened": lambda e: "纠纷发生",
    "notice": lambda e: f"{_ACTORS_ZH.get(e.actor, e.actor)}宣布自今日起车位{_strategy(e)}；"
                        f"{e.crowd} 户租车位的业主车辆被拦在小区外",
    "voiced": lambda e: {"grid_worker": "网格员巡查中发现"}.get(e.actor, "业主投诉（已反映）"),
    "detected": lambda e: "网格员在投诉之前发现",
    "followed_up": lambda e: "网格员回访核实，未解决的重新处理（问题处置核实）",
    "submitted": lambda e: f"提交{_ch(e)}",
    "reneged": lambda e: f"等候过久，另寻渠道（不再等{_ch(e)}）",
    "not_settled": lambda e: f"{_ch(e)}未能化解",
    "collective_action": lambda e: (f"{e.crowd} 户业主参与集体行动" if e.crowd
                                    else "人群散去"),
    "confrontation": lambda e: f"{e.crowd} 户业主在小区门口对峙",
    "police_call": lambda e: "有人报警，派出所出警",
    "guards_hired": lambda e: "开发商雇用社会人员（小混混）冒充保安",
    "petition": lambda e: ((f"{e.crowd} 户业主到区政府上访" if e.crowd else "业主到区政府上访（信访）")
                           + {PetitionAgain.REPEAT: "（再次上访）",
                              PetitionAgain.SKIP_LEVEL: "（越级到市里上访）"}.get(
                               e.detail or "", "")),
    "special_handling": lambda e: "领导接访，特案特办：调动多个部门的资源",
    "referred": lambda e: "信访件在部门之间转来转去（踢皮球）",
    "state_order": lambda e: "街道办责令整改：责令开发商和物业公司让业主车辆正常停放",
    "assembly_backed": lambda e: "街道办支持召开业主大会（指导成立筹备组）",
    "assembly_organised": lambda e: "业主自发筹备业主大会",
    "assembly_called": lambda e: "发出业主大会会议通知（依法提前通知全体业主）",
    "assembly_failed": lambda e: "参加投票的业主不足，业主大会须重新召集",
    "firm_replaced": lambda e: "业委会选聘的新物业公司接管小区（开发商与原物业的“共谋”结束）",
    "assembly_held": lambda e: "业主大会（{}）选出业委会".format(
        "政府支持" if e.detail == AssemblySupport.STATE_BACKED else "业主自发"),
    "joint_meeting": lambda e: "网格联席会议（街道、居委会、业委会、驻街企业、物业公司）研究该纠纷",
    "strategy_switch": lambda e: f"开发商改为{_strategy(e)}",
    "deal": lambda e: f"业主接受{_strategy(e)}方案",
    "resolved": lambda e: f"经{_ch(e)}化解" if e.channel else f"冲突平息（{_strategy(e)}）",
    "abandoned": lambda e: "当事人放弃",
    "censored": lambda e: "期末仍未化解",
}
_EVENT_ZH_FALLBACK = "发生一项新的事件（纠纷阶段：{stage}）"


def event_text(record: dict, lang: str) -> str:
    """One event of the log (a record) in the reader's language, written from its kind
    and fields. A kind without Chinese wording yet reads as a plain Chinese sentence naming
    the dispute's stage."""
    from govsim.events import Event

    try:
        event = Event.from_record(record)
    except (KeyError, ValueError):  # a kind this version does not know
        event = None
    if lang != "zh":
        return event.note if event is not None else str(record.get("note") or record["kind"])
    write = _EVENTS_ZH.get(str(record["kind"]))
    if write is None or event is None:
        stage = f"stage_{record.get('stage')}"
        return _EVENT_ZH_FALLBACK.format(stage=tr(stage, "zh") if stage in STRINGS else "未知")
    return write(event)
