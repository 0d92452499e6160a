"""The columns of the priority lists, the project units and the summary tables: data key,
Chinese and English header, number format, width, and the note the 说明 Notes sheet prints
for each; the fields of the GeoPackage layers; the rule that groups parcels into units."""

from __future__ import annotations

from outputs.labels import MU_PER_KM2, MU_PER_WAN_MU, area_text
from outputs.library import LEVELS, LEVELS_EN, due_column
from outputs.project_units import MAX_KM2
from outputs.workbook import COUNT, HM2, MONEY, MU, WAN_MU, WATER, Column
from region.schema import CRITERIA, CRITERION_LABELS

#: Short unit of each criterion's benefit (criteria/options.py CRITERION_UNITS in full).
CRITERION_UNITS_SHORT = {"sand": "t/年", "water": "万m³/年", "bio": "km²（生境质量加权）",
                         "mine": "km²（风险加权）", "carbon": "tC/年"}
BENEFIT_FORMATS = {"sand": "#,##0", "water": "#,##0.00", "bio": "#,##0.000",
                   "mine": "#,##0.000", "carbon": "#,##0.0"}
#: Criteria whose physical magnitude is known to be off and not calibrated (sand: the
#: modelled modulus is 5.6-13 × the published range, docs/criteria.md "Plausibility", issue
#: 21): said beside every such figure, in Chinese and English.
UNCALIBRATED = {"sand": ("量级未校准", "scale not calibrated")}


def _benefit_header(criterion: str) -> str:
    """"防风固沙(未校准 t/年)", "生物多样性 km²（生境质量加权）": the criterion and its unit,
    the unit in brackets unless it carries its own."""
    unit = ("未校准 " if criterion in UNCALIBRATED else "") + CRITERION_UNITS_SHORT[criterion]
    name = CRITERION_LABELS[criterion][0]
    return f"{name} {unit}" if unit.endswith("）") else f"{name}({unit})"


BENEFIT_COLUMNS = [
    Column(f"expected_{c}", _benefit_header(c),
           CRITERION_LABELS[c][1] + (f" ({UNCALIBRATED[c][1]})" if c in UNCALIBRATED else ""),
           BENEFIT_FORMATS[c], 12, summed=True,
           note="模型估算的物理量：成熟期年效益×成活率（有使用年限的措施如固沙沙障（草方格）为使用年限内），"
                "不含权重、优先系数与归一化（估算值，非实测）"
                + ("；吨数为模型排序指标，比已发表范围高约5.6-13倍，不作绩效目标"
                   if c in UNCALIBRATED else "")
                + " | the model's physical quantity: yearly benefit at maturity × survival "
                "(while it lasts, for works with a lifetime such as straw checkerboards), "
                "without weights, priority factors or normalisation (an estimate, not a "
                "measurement)"
                + ("; the tonnes are a modelled ranking measure, 5.6-13 × the published "
                   "range, no performance target" if c in UNCALIBRATED else ""))
    for c in CRITERIA]
AREA_COLUMNS = [
    Column("area_mu", "面积(亩)", "Area (mu)", MU, 10, summed=True, note="1 km² = 1,500 亩"),
    Column("area_hm2", "面积(公顷)", "Area (hm²)", HM2, 10, summed=True,
           note="1 km² = 100 公顷 hm²"),
]
WAN_MU_AREA = Column("area_wan_mu", "面积(万亩)", "Area (10k mu)", WAN_MU, 10, summed=True,
                     note="1 万亩 = 10,000 亩 = 6.667 km²；1万亩以上的面积以万亩计")
COST = Column("total_cost_wan", "总投资(万元)", "Total cost (10k CNY)", MONEY, 11, summed=True,
              note="措施全部投资（含分年及规划期后部分），列在开工年 | the option's whole cost, "
                   "every instalment (also after the horizon), listed in its start year")
YEAR_COST = Column("year_cost_wan", "当年资金需求(万元)", "Funds due in the year (10k CNY)", MONEY,
                   11, summed=True,
                   note="该年应付的投资：新开工项目为开工当年的第一笔，续建项目为该年到期的分期；"
                        "年度表新开工与续建两部分合计=汇总表该年的当年支出 | the money due in "
                        "that year: a new start's first instalment, a continuing work's "
                        "instalment of that year; on a year sheet new starts and continuing "
                        "works add up to the Summary's spend in that year")
FUND_COLUMNS = [
    Column(column, f"其中{label}(万元)", f"of which {en} (10k CNY)", MONEY, 10, summed=True,
           note="总投资×情景中该措施的资金分担比例（估算，见情景文件 [funding]；项目单元表）"
                " | total cost × the scenario's funding share of that level (estimates: the "
                "scenario's [funding] tables; the Project units sheet)")
    for (_, column, label), en in zip(LEVELS, LEVELS_EN, strict=True)]
#: The year's funds due (当年资金需求) by level: what a year sheet applies for at each level.
DUE_COLUMNS = [
    Column(due_column(column), f"当年其中{label}(万元)", f"Due in the year: {en} (10k CNY)",
           MONEY, 10, summed=True,
           note="当年资金需求×情景中该措施的资金分担比例（估算，见情景文件 [funding]）；新开工与"
                "续建项目都按此拆分，四级之和=当年资金需求，年度表两部分合计为该年按级次的资金申请"
                " | funds due in the year × the scenario's share of that level (estimates: "
                "the scenario's [funding] tables), for new starts and continuing works alike; "
                "the four add up to the funds due, and a year sheet's two parts together are "
                "that year's application by level")
    for (_, column, label), en in zip(LEVELS, LEVELS_EN, strict=True)]
WATER_USE = Column("water_wan_m3_per_yr", "用水(万m³/年)", "Water (10k m³/yr)", WATER, 9,
                   summed=True,
                   note="实施后每年用水；负值为节水灌溉节水量中计入新增生态用水的部分（按情景的计入比例，"
                        "其余为压采），全部节水量见绩效目标 | yearly water need once started; "
                        "negative = the part of the water saved by water-saving irrigation "
                        "credited to new ecological use (the scenario's share; the rest "
                        "relieves groundwater); the water saved in all: performance targets")
SCORE = Column("score_pct", "综合得分(占方案%)", "Score (% of plan benefit)", "0.000", 10,
               summed=True)  # the note names the run's scale: outputs/explain.py score_note
SCORE_PARTS = [
    Column(f"score_{c}", f"得分:{CRITERION_LABELS[c][0]}(%)",
           f"Score: {CRITERION_LABELS[c][1]}", "0.000", 8, summed=True,
           note="该准则对综合得分的贡献，各准则之和=综合得分 | that criterion's part of the "
                "score; the parts add up to the score")
    for c in CRITERIA]
PER_MONEY = Column("pct_per_1000_wan", "单位投资效益(%/千万元)", "Benefit per 10M CNY (%)",
                   "0.00", 10,
                   note="综合得分÷总投资×1,000，排序依据，与报告中预算影子价格同单位 | score ÷ "
                        "total cost × 1,000: the ranking key, in the unit of the budget "
                        "shadow price in report.html")
LIBRARY_COLUMNS = [
    Column("works", "建设内容及规模", "Works and scale", width=20, wrap=True,
           note="措施及面积（1万亩以上以万亩计），矿山另列处数 | the works and their area "
                "(万亩 from 1 万亩), sites for mines"),
    Column("period", "资金安排年度", "Payment years", width=12, wrap=True,
           note="该措施投资的支付年度：开工年至投资支付的最后一年（措施目录中各措施的投资"
                "分1年或数年支付），规划期末（默认2035年，规划第5行）之后的年份注明超出规划期。"
                "这不是工程的持续期：封育、国家级公益林管护等为持续多年的封禁与管护，"
                "其封育期与管护期规划和措施目录均未给出，本表不列 | the years in which the "
                "action's cost is paid: start year to the last payment (the catalogue "
                "spreads each action's cost over one or more years); years after the plan "
                "period's end (2035 unless the scenario says otherwise, plan l.5) are marked "
                "as beyond it. Not the work's "
                "span: enclosure and forest care run for years, but neither the plan nor the "
                "catalogue gives a closure or care period, so none is shown"),
]
FUNDING_TEXT = Column("funding", "资金来源", "Funding", width=22, wrap=True,
                      note="各级资金分担比例及常用渠道（来自情景 [funding]；“估算”表示无出处）| "
                           "shares by level and the usual channel (scenario [funding]; "
                           "'估算' = an estimate)")
DEPARTMENT = Column("department", "责任单位", "Lead department", width=18, wrap=True,
                    note="按规划第124行各部门分工确定牵头单位；规划未列的按相关法律的主管部门，"
                         "逐项依据见本页“责任单位 Departments”一行 | lead department by the "
                         "plan's division of work (line 124); where the plan is silent, the "
                         "department the law assigns (the basis of each: the Departments row "
                         "of this sheet)")
PERFORMANCE = Column("performance", "绩效目标", "Performance targets", width=30, wrap=True,
                     note="措施的绩效指标及目标值：面积、成活率或使用年限（措施目录）与模型"
                          "估算的成熟期效益（防风固沙为较现状风蚀的减少比例）| "
                          "the action's indicators and values: area, survival or lifetime "
                          "(catalogue) and the modelled mature benefits (sand control as the "
                          "reduction of today's erosion)")
#: What the project codes are: the names are the plan's, the codes ours.
PROJECT_CODES = ("名称为规划原文（第88-104行），编号（W0-W6、P1-1等）为本工具为便于引用所编，"
                 "规划本身未编号",
                 "the names are the plan's (lines 88-104); the codes (W0-W6, P1-1 …) are "
                 "this tool's, for reference: the plan does not number them")
DEPLOYMENT_FLAG = Column(
    "deployment_flag", "部署标注", "Deployment flags", width=16, wrap=True,
    note="最低部署：情景目标（针对该项目或其所属重点工程的目标，或针对其措施、地点的目标）需要此项，"
         "去掉即达不到目标（如“至少实施1处”的项目仅有的一处，“全部待治理矿山”目标所需的W0矿山）："
         "目标所安排的最低限度，是否会因效益入选未经检验，规划未给出各项目的面积；不属任何规划项目的"
         "措施不标注；跨分区（规划为第N区 分区名）：规划将该项目列入第N区的重点工程（第98-102行），"
         "此项措施位于其他分区（项目可在规划分区以外实施为本工具的估算，规划未载） | minimum "
         "deployment: a scenario target needs this work, without it the target fails (a target "
         "on the project or its key work, e.g. the only work of a project asked for at least "
         "one, or a target on its action or places, e.g. W0's mines that 'all pending mines' "
         "needs; a work under no plan project is not marked): the "
         "least the target requires; whether the plan would choose it for its return alone is "
         "not tested, and the plan gives no area per project; outside the plan's zone (zone N): "
         "the plan files the project under zone N's key work (lines 98-102) and this work lies "
         "in another zone (that the project may work there is this tool's estimate, not "
         "the plan's)")
WORK = Column("work_label", "所属重点工程", "Key work", width=18, wrap=True,
              note="该项目所属的规划重点工程（项目本身即为重点工程时为其本身），及其亦计入的"
                   "一体化重点工程 | the plan's key work the project belongs to (the project "
                   "itself when it is one), and the umbrella work it also counts towards")
BASIS = Column("plan_basis", "规划依据", "Plan basis", width=24, wrap=True,
               note="该项目在规划中的行号及所引原文（吐鲁番市国土空间生态修复规划 2021-2035年）；"
                    "不属于规划重点项目的措施，列出措施规则所依据的行；项目各行未提该措施时（如"
                    "固沙沙障，仅见于第71行），先列规划提及该措施的行，并注明归入该项目为本方案的"
                    "解读 | "
                    "the lines of the plan the project follows, with the plan's words where "
                    "quoted; for a work under no plan project, the lines its action's rules "
                    "follow; where the project's lines do not name the action (sand barriers, "
                    "named only on line 71), the line that names it comes first, and filing it "
                    "under the project is marked as our reading")
LIST_COLUMNS = [
    Column("rank", "优先序", "Rank", "0", 6,
           note="年度内排序：必须实施和目标所需在前，其余按单位投资效益从高到低；节水灌溉与依赖"
                "其节水的措施按组合的单位投资效益一并排序，节水项目在前；重新规划的往年为实施记录，"
                "不排序（空白） | order in the year: "
                "mandatory works and options a target needs first, then by benefit per "
                "1,000万元; water-saving irrigation and the works relying on its water rank "
                "by the package's benefit per 万元, the savings first; a re-plan's past year "
                "is a record, not ranked (blank)"),
    Column("unit_id", "项目单元", "Project unit", width=10,
           note="开工年-序号，年内按综合得分从高到低编号，见“项目单元”表 | start year-number, "
                "numbered by score within the year; see the Project units sheet"),
    Column("parcel_id", "地块编号", "Parcel ID", "0", 8,
           note="与 plan.csv、priorities.gpkg 一致 | as in plan.csv and priorities.gpkg"),
    Column("county_both", "区县", "County", width=12, wrap=True),
    Column("township_both", "乡镇", "Township", width=12, wrap=True,
           note="地块所在乡镇（随地块数据提供；吐鲁番数据按乡镇驻地位置模拟，非乡镇界线）"
                " | the parcel's township (from the parcel data; modelled from township "
                "seat locations in the shipped Turpan data, not township boundaries)"),
    Column("zone_both", "分区", "Zone", width=16, wrap=True,
           note="生态修复分区 | restoration zone"),
    Column("project_both", "所属重点工程/项目", "Plan project", width=18, wrap=True,
           note=f"规划的重点工程/项目：{PROJECT_CODES[0]} | the plan's key work or project: "
                f"{PROJECT_CODES[1]}"),
    DEPLOYMENT_FLAG, WORK, BASIS,
    Column("action_label", "措施", "Action", width=14, wrap=True),
    *LIBRARY_COLUMNS, *AREA_COLUMNS, COST, YEAR_COST, *DUE_COLUMNS, FUNDING_TEXT,
    DEPARTMENT, PERFORMANCE, WATER_USE, *BENEFIT_COLUMNS, SCORE, *SCORE_PARTS, PER_MONEY,
    Column("reason", "入选理由", "Reason", width=40, wrap=True,
           note="必须实施或情景目标要求；或年内单位投资效益名次及主导准则；所在生态廊道 | the "
                "rule or scenario target requiring it; or its rank in benefit per 万元 and the "
                "criterion that drives it; the corridor it lies on or completes"),
]
#: The 续建项目 block of a year sheet: works started earlier with an instalment due that year,
#: in the columns of the list above it where they match (widths come from the list's).
CONTINUING_COLUMNS = [
    Column("start_year", "开工年", "Start year", "0", 6),
    *[c for c in LIST_COLUMNS if c.key in ("unit_id", "parcel_id", "county_both",
                                           "township_both", "zone_both", "project_both",
                                           "action_label",
                                           "works", "period")],
    *AREA_COLUMNS, COST, YEAR_COST, *DUE_COLUMNS,
    Column("paid_before_wan", "往年已安排(万元)", "Paid in earlier years (10k CNY)", MONEY, 10,
           summed=True),
    Column("due_later_wan", "以后年度(万元)", "Due in later years (10k CNY)", MONEY, 10,
           summed=True, note="该年以后到期的分期，含规划期后 | instalments due after that "
                             "year, after the horizon included"),
    FUNDING_TEXT, DEPARTMENT, PERFORMANCE,
]
SUMMARY_COLUMNS = [
    Column("work_count", "措施数(项)", "Works", COUNT, 8, summed=True,
           note="入选措施的项数；一个地块先后实施两项措施（如先设沙障后造林）计两项，"
                "地块数见表下 | the chosen works; a parcel with two works (barriers, then "
                "afforestation) counts twice; the parcels are counted under the table"),
    Column("area_wan_mu", "实施面积(万亩)", "Area treated (10k mu)", WAN_MU, 10, summed=True,
           note="各项措施面积之和：一个地块先后实施两项措施时计两次；"
                "净面积（每个地块只计一次）见表下 | the works' areas added up: a parcel with "
                "two works counts twice; the net area (each parcel once) is under the table"),
    Column("area_hm2", "实施面积(公顷)", "Area treated (hm²)", HM2, 10, summed=True),
    Column("total_cost_wan", "投资(按开工年,万元)", "Cost by start year (10k CNY)", MONEY, 11,
           summed=True),
    Column("water_wan_m3_per_yr", "净新增用水(万m³/年)", "Net new water (10k m³/yr)", WATER,
           10, summed=True,
           note="这些措施实施后每年的用水，减去节水灌溉节水量中计入新增生态用水的部分（负值：计入的节水多于"
                "用水）；按年度为当年开工的措施，不是该年的用水（见当年用水；报告的“工程用水”为该年"
                "全部工程的用水，不减节水） | the works' yearly water need once running, less the "
                "part of the water-saving irrigation's saving credited to new use (negative: "
                "more credited than used); by year, of the works starting that year, not that "
                "year's use (Water use in year; the report's 'Works' water' is every work's "
                "use that year, savings not deducted)"),
    *BENEFIT_COLUMNS, SCORE,
]
YEAR_COLUMNS = [
    Column("spend", "当年支出(万元)", "Spend in year (10k CNY)", MONEY, 11, summed=True),
    Column("budget", "可用预算(万元)", "Budget available (10k CNY)", MONEY, 11),
    Column("water_use", "当年用水(万m³)", "Water use in year (10k m³)", WATER, 11,
           note="含艾丁湖生态输水（情景的估算，非规划的输水目标；数量与依据见本表下方说明），不只是"
                "本方案工程的新增用水；各年之和无意义（湖泊输水逐年重复计入），合计行不列 | "
                "includes Aydingkol's delivery (the scenario's estimate, not a target of the "
                "plan; its figure and basis are given under the table), not only the works' new "
                "water; not added up in the total row (the lake's delivery would count once per "
                "year)"),
    Column("water_limit", "用水上限(万m³)", "Water limit (10k m³)", WATER, 11),
    Column("binds", "约束", "Binding limit", width=14, wrap=True,
           note="当年起约束作用的限额：资金、水、两者或均无，及年度实施能力起约束的措施（影子价格>0，"
                "资金和水同一定义；资金可结转而仅以后累计预算有价时为“资金总额（逐年结转）”；影子价格为0"
                "而余额付不起任何未选工程时资金亦为紧约束；未分配水量的区县另注；措施后注其能力"
                "为推算、估算或用户设定，出处见数据说明_README.txt） | the "
                "limit that binds that year: money, water, both or neither, and the actions "
                "whose yearly capacity binds (shadow price > 0, one definition for money and "
                "water; with carry-over a year priced only through a later cumulative budget "
                "says 'total budget (carried on)'; money with no price also binds when what "
                "is left pays no work not chosen; counties with no water allocated are "
                "marked; each action is marked with its capacity's grade, derived, "
                "estimate or the user's figure, sourced in 数据说明_README.txt)"),
]
UNIT_COLUMNS = [
    Column("unit_id", "项目单元", "Project unit", width=10),
    Column("start_year", "开工年", "Start year", "0", 7),
    Column("county_boths", "区县", "Counties", width=12, wrap=True),
    Column("township_boths", "乡镇", "Townships", width=12, wrap=True),
    Column("zone_boths", "分区", "Zones", width=16, wrap=True),
    Column("project_both", "所属重点工程/项目", "Plan project", width=18, wrap=True),
    WORK, BASIS,
    Column("action_label", "措施", "Action", width=14, wrap=True),
    *LIBRARY_COLUMNS,
    Column("parcels", "地块数", "Parcels", COUNT, 7, summed=True,
           note="单元内的地块数（每个地块在单元内一项措施）；合计为措施数：一个地块先后实施两项"
                "措施（如先设沙障后造林）时分属两个单元，计两次 | the unit's parcels (one "
                "work each in the unit); the total counts works: a parcel with two works "
                "(barriers, then afforestation) lies in two units and counts twice"),
    WAN_MU_AREA, AREA_COLUMNS[1], COST, *FUND_COLUMNS, FUNDING_TEXT, DEPARTMENT, PERFORMANCE,
    WATER_USE, *BENEFIT_COLUMNS, SCORE,
    Column("centroid_lon", "中心经度", "Centroid lon", "0.00000", 9,
           note="经纬度（度）：输出坐标系为地理坐标系时取该坐标系（默认即地块文件的坐标系，如 "
                "CGCS2000 EPSG:4490），为投影坐标系时取其基准地理坐标系（如 EPSG:4539 → "
                "CGCS2000）；本次所用见“坐标系 CRS”行 | lon/lat in degrees: of the output CRS "
                "when it is geographic (by default the parcels file's, e.g. CGCS2000 "
                "EPSG:4490), of its geographic base when it is projected (EPSG:4539 → "
                "CGCS2000); this run's is on the 坐标系 CRS row"),
    Column("centroid_lat", "中心纬度", "Centroid lat", "0.00000", 9),
    Column("west", "西界经度", "West lon", "0.00000", 9, note="范围 extent (bbox)"),
    Column("south", "南界纬度", "South lat", "0.00000", 9),
    Column("east", "东界经度", "East lon", "0.00000", 9),
    Column("north", "北界纬度", "North lat", "0.00000", 9),
    Column("parcel_ids", "地块编号", "Parcel IDs", width=18, wrap=True),
]
#: The columns the sheets show by both names ("鄯善县 Shanshan County") and the CSVs as two,
#: Chinese and English, for a machine reader: the sheet's key → the CSV's two keys.
BOTH_NAMES = {"county_both": ("county_zh", "county_en"),
              "township_both": ("township_zh", "township_en"),
              "zone_both": ("zone_zh", "zone_en"),
              "project_both": ("project_label", "project_label_en"),
              "county_boths": ("county_zhs", "county_ens"),
              "township_boths": ("township_zhs", "township_ens"),
              "zone_boths": ("zone_zhs", "zone_ens")}
#: Columns summed over a unit's parcels (the text columns are rebuilt from the sums).
UNIT_SUMMED = ["area_km2", "area_hm2", "total_cost_wan", "water_wan_m3_per_yr", "value",
               "score_pct", "sites", "karez_count", "saving_wan_m3_per_yr", "sand_now_t",
               *[f"expected_{c}" for c in CRITERIA], *[f"value_{c}" for c in CRITERIA]]
LAYER_FIELDS = ["parcel_id", "start_year", "rank", "county", "county_zh", "county_en",
                "township_zh", "township_en", "zone", "zone_zh", "zone_en", "action",
                "action_zh", "action_en", "project_id", "project_zh", "project_en",
                "deployment_flag", "work_label", "plan_basis", "unit_id",
                "works", "period", "area_mu", "area_hm2", "total_cost_wan",
                *[c.key for c in FUND_COLUMNS], "funding", "department", "performance",
                "water_wan_m3_per_yr", *[f"expected_{c}" for c in CRITERIA], "score_pct",
                *[f"score_{c}" for c in CRITERIA], "pct_per_1000_wan", "required", "reason"]
UNIT_RULE = (
    f"同一重点工程/项目、同一措施、同一开工年、同一区县的入选地块合并为一个项目单元（年度实施计划"
    f"中的一项，列出其地块与乡镇）；每处历史遗留矿山单独成一个单元（规划第90行按矿山立项）；"
    f"单元面积超过 {area_text(MAX_KM2)} 的按地块中心分成最少的紧凑子单元（上限为估算值）。 "
    f"Chosen parcels of one plan project, one action, one start year and one county form one "
    f"project unit (a line of the annual implementation plan, listing its parcels and "
    f"townships); each historical mine is a unit of its own (the plan makes each a project, "
    f"line 90); a unit above {MAX_KM2 * MU_PER_KM2 / MU_PER_WAN_MU:g} 万亩 is split into the "
    f"fewest compact parts (the cap is an estimate).")


SHARE_COLUMNS = [
    Column("label", "准则", "Criterion", width=30),
    Column("weight", "权重", "Weight", "0.000", 8),
    Column("share_weighted", "占加权效益", "Share of weighted benefit", "0.0%", 11),
    Column("options_driven", "主导措施数", "Options it drives", COUNT, 9),
    Column("area_wan_mu", "主导措施面积(万亩)", "Their area (10k mu)", WAN_MU, 11),
    Column("share_scale", "占本方案预算可达尺度(成熟期)",
           "Share of what this budget could achieve (mature)", "0.0%", 11),
    Column("physical_text", "成熟期物理效益(×成活率,模型)",
           "Physical benefit at maturity (modelled)", width=20),
    Column("potential_text", "全域潜力(模型)", "Region's potential (modelled)", width=18),
    Column("share_potential", "占全域潜力", "Share of the region's potential", "0.0%", 11),
]
INDICATOR_COLUMNS = [
    Column("name", "指标", "Indicator", width=30, wrap=True),
    Column("unit", "单位", "Unit", width=8),
    Column("base", "规划所载数值(现状/已完成/目标)", "Plan's figure (status, past "
           "achievement or target)", "#,##0.00", 12),
    Column("base_period", "规划口径(年份与性质)", "Plan's period and kind", width=16,
           wrap=True),
    Column("plan", "本方案(模型)", "This plan (modelled)", "#,##0.00", 11),
    Column("after", "规划所载数值+本方案", "Plan's figure + this plan", "#,##0.00", 10),
    Column("note", "说明", "Note", width=40, wrap=True),
    Column("source", "出处", "Source", width=40, wrap=True),
]
FUND_TOTAL_COLUMNS = [
    Column("level", "资金来源", "Funding level", width=30),
    Column("amount", "金额(万元)", "Amount (10k CNY)", MONEY, 12, summed=True),
    Column("share", "占比", "Share", "0.0%", 8, summed=True),
]
#: The year sheets' applications by level, one row a year (outputs/year_funds.py).
DUE_TOTAL_COLUMNS = [
    Column("year", "年度", "Year", "0", 30),
    *[Column(c.key, c.zh.removeprefix("当年其中"), LEVELS_EN[k], MONEY, 12, summed=True)
      for k, c in enumerate(DUE_COLUMNS)],
    Column("year_cost_wan", "合计=当年支出(万元)", "Total = spend in year (10k CNY)", MONEY,
           12, summed=True),
]
SIZE_COLUMNS = [
    Column("size", "单元规模", "Unit size", width=30),
    Column("units", "单元数", "Units", COUNT, 8, summed=True),
    Column("parcels", "措施数(项)", "Works", COUNT, 8, summed=True),
    Column("area_wan_mu", "实施面积(万亩)", "Area treated (10k mu)", WAN_MU, 10, summed=True),
]


