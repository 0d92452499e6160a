"""Places of the shipped Turpan region placed by hand: towns, townships, rivers, protected
areas, red lines. Each table says where its figures come from; coordinates are approximate
(read from public maps, ±5-15 km) and marked modelled in data/README.md.

PLAN = 吐鲁番市国土空间生态修复规划 (2021-2035), ../shared/plan/…zh.txt, cited by line.
"""

from __future__ import annotations

#: Oasis towns: (lon, lat, oasis radius km). Radii are estimates sized to ≈1,800 km² of oasis
#: (farmland + settlement); see data/README.md.
OASIS_TOWNS = {
    "Gaochang 高昌 (Turpan city)": (89.184, 42.947, 10.0),
    "Yar 亚尔": (89.09, 42.97, 6.0),
    "Qiatekale 恰特喀勒": (89.25, 42.87, 6.0),
    "Aydingkol town 艾丁湖镇": (89.30, 42.80, 6.0),
    "Sanbao 三堡": (89.55, 42.86, 5.0),
    "Huoyanshan 火焰山镇": (89.66, 42.93, 5.0),
    "Tuyugou 吐峪沟": (89.69, 42.86, 4.0),
    "Shanshan 鄯善": (90.213, 42.866, 9.0),
    "Lianmuqin 连木沁": (90.05, 42.89, 5.0),
    "Pichan 辟展": (90.33, 42.90, 5.0),
    "Qiktim 七克台": (90.56, 42.95, 5.0),
    "Lukqun 鲁克沁": (90.378, 42.728, 7.0),
    "Dalangkan 达浪坎": (90.42, 42.77, 4.0),
    "Dikan 迪坎": (90.55, 42.63, 4.0),
    "Toksun 托克逊": (88.653, 42.792, 9.0),
    "Xia 夏乡": (88.70, 42.84, 5.0),
    "Bostan 博斯坦": (88.72, 42.78, 5.0),
    "Guolebuyi 郭勒布依": (88.60, 42.73, 5.0),
    "Yilahu 伊拉湖": (88.80, 42.76, 5.0),
}
#: The towns treated as settlements at their centre (radius km): the county seats.
SETTLEMENT_RADIUS_KM = {"Gaochang 高昌 (Turpan city)": 4.0, "Shanshan 鄯善": 3.0,
                        "Toksun 托克逊": 3.0}
#: Sand-control priority townships (PLAN line 73), approximate centres.
SAND_PRIORITY_TOWNS = ["Aydingkol town 艾丁湖镇", "Qiatekale 恰特喀勒", "Huoyanshan 火焰山镇",
                       "Sanbao 三堡", "Yar 亚尔", "Dikan 迪坎", "Dalangkan 达浪坎",
                       "Tuyugou 吐峪沟", "Xia 夏乡", "Guolebuyi 郭勒布依", "Bostan 博斯坦",
                       "Yilahu 伊拉湖"]
SAND_PRIORITY_RADIUS_KM = 20.0

#: Township seats (乡镇, 街道 merged as the city district): name_zh, name_en, county, lon, lat.
#: Names are the townships of 2020 (the city reports 33 乡镇街道场, Turpan statistics bureau
#: 2022); seats hand-placed from public maps, ±10 km. Every parcel goes to the nearest seat of
#: its own county (a Voronoi partition): modelled, not the legal boundaries.
TOWNSHIPS = [
    ("高昌区城区", "Gaochang urban district", "650402", 89.184, 42.947),
    ("亚尔镇", "Yar", "650402", 89.09, 42.97),
    ("葡萄镇", "Putao", "650402", 89.20, 43.02),
    ("七泉湖镇", "Qiquanhu", "650402", 89.35, 43.20),
    ("大河沿镇", "Daheyan", "650402", 89.27, 43.03),
    ("胜金乡", "Shengjin", "650402", 89.43, 42.93),
    ("二堡乡", "Erbao", "650402", 89.48, 42.88),
    ("三堡乡", "Sanbao", "650402", 89.55, 42.86),
    ("火焰山镇", "Huoyanshan", "650402", 89.66, 42.93),
    ("恰特喀勒乡", "Qiatekale", "650402", 89.25, 42.87),
    ("艾丁湖镇", "Aydingkol", "650402", 89.30, 42.80),
    ("鄯善镇", "Shanshan", "650421", 90.213, 42.866),
    ("火车站镇", "Huochezhan", "650421", 90.25, 43.03),
    ("七克台镇", "Qiktim", "650421", 90.56, 42.95),
    ("连木沁镇", "Lianmuqin", "650421", 90.05, 42.89),
    ("鲁克沁镇", "Lukqun", "650421", 90.378, 42.728),
    ("辟展乡", "Pichan", "650421", 90.33, 42.90),
    ("东巴扎回族乡", "Dongbazar", "650421", 90.17, 42.90),
    ("吐峪沟乡", "Tuyugou", "650421", 89.69, 42.86),
    ("达浪坎乡", "Dalangkan", "650421", 90.42, 42.77),
    ("迪坎乡", "Dikan", "650421", 90.55, 42.63),
    ("托克逊镇", "Toksun", "650422", 88.653, 42.792),
    ("夏乡", "Xia", "650422", 88.70, 42.84),
    ("博斯坦镇", "Bostan", "650422", 88.72, 42.78),  # 镇 as in PLAN line 73
    ("郭勒布依乡", "Guolebuyi", "650422", 88.60, 42.73),
    ("伊拉湖镇", "Yilahu", "650422", 88.80, 42.76),  # 镇 as in PLAN line 73
    ("库米什镇", "Kumux", "650422", 88.22, 42.23),
    ("克尔碱镇", "Kerjian", "650422", 88.35, 43.02),
    ("阿乐惠镇", "Alehui", "650422", 88.05, 42.78),
]

#: Aydingkol: the lake centre (approximate) and the two features the plan and its sources
#: name. The wetland park (PLAN line 66) is grown from parcels; the lake is an ellipse 6 km
#: east-west (its published extent) whose area is the 7.46 km² of the 2025-01-09 press
#: release (PARAMETERS.md "Water").
AYDINGKOL = (89.28, 42.66)
AYDINGKOL_PARK_KM2 = 289.86
AYDINGKOL_LAKE_KM2 = 7.46
AYDINGKOL_LAKE_LENGTH_KM = 6.0

#: Lanzhou-Xinjiang railway through the basin (zone 1 lies north of it, PLAN line 60),
#: approximated by a polyline through Dabancheng gap → Daheyan → Shanshan station → Hami.
RAILWAY = [(87.2, 42.55), (88.3, 42.95), (89.27, 43.03), (90.3, 42.95), (92.0, 43.0)]
#: Northern edge of zone 5 (嘎顺-南湖戈壁, PLAN line 79-81): the Gobi south of the
#: Jueluotage-Kuruktag hills in 高昌区 and 鄯善县, where the Lop Nur reserve's experimental
#: area lies (line 81). Hand-placed along the southern foot of the hills on the 0.2° DEM.
ZONE5_NORTH_EDGE = [(89.0, 41.75), (89.9, 41.85), (90.8, 42.05), (91.95, 42.25)]
#: The Kumtag desert centre (sand dunes within 40 km of it; PLAN lines 66, 71).
KUMTAG = (90.25, 42.68)
KUMTAG_RADIUS_KM = 40.0

#: Main rivers (PLAN line 14 names 大河沿、煤窑沟、柯柯亚、白杨河; public descriptions of the
#: basin add 阿拉沟、塔尔朗河、二塘沟、坎儿其河): name_zh, name_en, polyline from the Tianshan
#: to where the channel ends. Hand-placed from public maps (±10 km): modelled, not surveyed.
RIVERS = [
    ("白杨河", "Baiyang River", [(88.25, 43.35), (88.55, 43.05), (88.75, 42.85),
                               (88.98, 42.72), (89.20, 42.66)]),
    ("阿拉沟", "Alagou River", [(87.55, 42.75), (88.10, 42.78), (88.45, 42.80),
                              (88.75, 42.78)]),
    ("大河沿河", "Daheyan River", [(89.05, 43.45), (89.15, 43.12), (89.18, 42.96)]),
    ("塔尔朗河", "Ta'erlang River", [(89.30, 43.45), (89.28, 43.12), (89.22, 43.00)]),
    ("煤窑沟", "Meiyaogou River", [(89.60, 43.45), (89.58, 43.10), (89.50, 42.95)]),
    ("柯柯亚河", "Kekeya River", [(90.10, 43.45), (90.06, 43.08), (90.05, 42.90)]),
    ("二塘沟", "Ertanggou River", [(90.45, 43.45), (90.38, 43.08), (90.30, 42.92)]),
    ("坎儿其河", "Kan'erqi River", [(91.00, 43.40), (90.72, 43.08), (90.56, 42.96)]),
]
#: The four emergency replenishment channels to Aydingkol, three built since 2016 and the
#: Baiyang River's existing one (以及现有白杨河), able to deliver ≥ 0.60亿 m³/yr together
#: (PLAN line 14, a capacity, not a delivery or target; the four together, not each:
#: docs/water.md): from the river's lower end to the lake (routes modelled).
REPLENISHMENT_CHANNELS = [
    ("大河沿补水通道", "Daheyan replenishment channel", "大河沿河"),
    ("煤窑沟补水通道", "Meiyaogou replenishment channel", "煤窑沟"),
    ("柯柯亚补水通道", "Kekeya replenishment channel", "柯柯亚河"),
    ("白杨河补水通道", "Baiyang River replenishment channel", "白杨河"),
]
CHANNEL_CAPACITY_WAN_M3_PER_YR = 6000.0  # ≥ 0.60亿 m³/yr (PLAN line 14), the four together

#: Protected areas: name, plan area km², seed (lon, lat), county restriction, priority where
#: footprints overlap (lower wins), the footprint it must lie inside, and its source.
#: Footprints are modelled: the allowed non-oasis cells nearest the seed until the area.
PROTECTED_AREAS = [
    # Scenic areas first: the geopark lies inside the Flaming Mountain one (PLAN line 66).
    ("Flaming Mountain-Grape Valley-Karez scenic area 火焰山-葡萄沟-坎儿井风景名胜区", 1400.0,
     (89.40, 42.95), "650402", 2, None, "PLAN line 66"),
    ("Kumtag Desert national scenic area 库木塔格沙漠风景名胜区", 1880.0, KUMTAG, "650421",
     2, None, "PLAN line 66"),
    ("Flaming Mountain national geopark 火焰山国家地质公园", 290.0, (89.65, 42.93), "650402",
     1, "Flaming Mountain-Grape Valley-Karez scenic area 火焰山-葡萄沟-坎儿井风景名胜区",
     "PLAN line 66: 290 km², inside the Flaming Mountain scenic area"),
    ("Shanshan national desert park 鄯善国家沙漠公园", 200.0, (90.22, 42.80), "650421", 1,
     None, "PLAN line 71: 200 km² in the Kumtag desert south of the county town"),
    ("Aydingkol national wetland park 艾丁湖国家湿地公园", AYDINGKOL_PARK_KM2, AYDINGKOL, None,
     1, None, "PLAN line 66"),
    # PLAN line 66 places it where 恰特卡勒乡, 亚尔乡 and 艾丁湖乡 meet, without an area;
    # 60 km² is an estimate: the Turpan desert botanical garden in the same wind-eroded sand
    # area is described as ≈6,000 ha.
    ("Turpan (Aydingkol) national desert park 吐鲁番艾丁湖国家沙漠公园", 60.0, (89.24, 42.84),
     "650402", 1, None, "PLAN lines 12, 66 (place); area an estimate"),
    # The reserve's Turpan part is experimental area in 高昌区 and 鄯善县 (PLAN line 81),
    # grown from the southern city boundary where the two counties meet.
    ("Lop Nur wild camel national reserve 罗布泊野骆驼国家级自然保护区", 3200.0, None,
     ("650402", "650421"), 2, None, "PLAN line 81: 3,200 km² in 高昌区 and 鄯善县"),
]

#: Ecological protection red lines (生态保护红线): name and the rule that places it. The plan
#: names three (lines 60, 70, 75) without maps; the nature reserve is in the red lines by the
#: national rule (中共中央办公厅 国务院办公厅《关于在国土空间规划中统筹划定落实三条控制线的
#: 指导意见》2019: red lines take in the nature reserves), not by the plan's text. Rules are
#: ours (modelled); a bureau replaces the layer with its 三区三线 data.
RED_LINES = [
    ("北部天山水源涵养与生物多样性维护生态保护红线 Northern Tianshan water conservation and "
     "biodiversity red line", "PLAN line 60",
     "zone 1 parcels of forest, or at or above 2,000 m (the forest belt, alpine meadows and "
     "the river sources above them)"),
    ("吐哈盆地防风固沙生态保护红线 Turpan-Hami basin wind-break and sand-fixation red line",
     "PLAN line 70",
     "natural desert shrubland of zone 3 (the 荒漠灌木林地、沙生灌丛地 the plan encloses, "
     "line 73)"),
    ("库木塔格生物多样性维护、防风固沙生态保护红线 Kumtag biodiversity and sand-fixation red "
     "line", "PLAN line 75", "zone 4 parcels within 40 km of the Kumtag desert centre"),
    ("罗布泊野骆驼国家级自然保护区生态保护红线 Lop Nur wild camel reserve red line",
     "national rule (2019 guideline on the three control lines); PLAN lines 22, 81",
     "the reserve's Turpan footprint"),
]
