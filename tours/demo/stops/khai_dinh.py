"""Demo stop: The tomb of Emperor Khải Định (Ứng Lăng)."""

from __future__ import annotations

from tours.demo.schema import Stop

STOP: Stop = {
    "monument": "khai-dinh",
    "camera": {
        "orbit": "-35deg 60deg 210m",
        "target": "0m 9m -2m",
        "field_of_view": "30deg",
    },
    "title": {
        "vi": "Lăng Khải Định (Ứng Lăng)",
        "en": "The tomb of Emperor Khải Định",
        "fr": "Le tombeau de l'empereur Khải Định",
        "zh": "启定帝陵（应陵）",
        "ko": "카이딘 황제릉",
        "ja": "カイディン帝廟（応陵）",
    },
    "narration": {
        "vi": (
            "Vua Khải Định trị vì từ năm 1916 đến năm 1925. Lăng của ông, Ứng Lăng, khởi công năm "
            "1920 trên sườn núi Châu Chữ, ngọn núi được nhà vua đổi tên thành Ứng Sơn, và hoàn "
            "thành năm 1931 dưới thời vua Bảo Đại, con trai ông.\n\n"
            "Đây là lăng cuối cùng và độc đáo nhất trong các lăng vua Nguyễn. Lăng được xây bằng "
            "**bê tông cốt thép**, kết hợp truyền thống Việt Nam với kiến trúc châu Âu. Những dãy "
            "bậc cấp có lan can hình rồng dẫn lên sân Bái Đình với hàng tượng quan văn, quan võ, "
            "voi, ngựa bằng đá, rồi đến Bi Đình hình bát giác.\n\n"
            "Trên cùng là cung Thiên Định. Bên trong, tường và trần được trang trí bằng tranh "
            "khảm sành sứ và thủy tinh màu, phần lớn vật liệu nhập từ nước ngoài. Dưới bửu tán là "
            "pho tượng đồng mạ vàng của nhà vua, đúc tại Pháp; thi hài nhà vua được an táng bên "
            "dưới pho tượng."
        ),
        "en": (
            "Khải Định reigned from 1916 to 1925. His tomb, Ứng Lăng, was begun in 1920 on the "
            "slope of Châu Chữ mountain, which the emperor renamed Ứng Sơn, and finished in 1931 "
            "under his son, Bảo Đại.\n\n"
            "It is the last of the great Nguyễn imperial tombs, and the most unusual. Built of "
            "**reinforced concrete**, it blends Vietnamese tradition with European architecture. "
            "Stairways lined with dragon balustrades climb to a courtyard guarded by stone "
            "mandarins, elephants and horses, and on to an octagonal stele pavilion.\n\n"
            "At the top stands Thiên Định palace. Its walls and ceilings are covered with mosaics "
            "of porcelain and coloured glass, much of it imported. Beneath a canopy sits a gilded "
            "bronze statue of the emperor, cast in France; his remains lie below it."
        ),
        "fr": (
            "Khải Định régna de 1916 à 1925. Son tombeau, Ứng Lăng, fut commencé en 1920 sur le "
            "flanc du mont Châu Chữ, que l'empereur rebaptisa Ứng Sơn, et achevé en 1931 sous son "
            "fils, Bảo Đại.\n\n"
            "C'est le dernier des grands tombeaux impériaux des Nguyễn, et le plus singulier. "
            "Bâti en **béton armé**, il mêle la tradition vietnamienne à l'architecture "
            "européenne. Des escaliers bordés de rampes en forme de dragons montent vers une cour "
            "gardée par des mandarins, des éléphants et des chevaux de pierre, puis vers un "
            "pavillon octogonal abritant une stèle.\n\n"
            "Au sommet se dresse le palais Thiên Định. Murs et plafonds y sont couverts de "
            "mosaïques de porcelaine et de verre coloré, en grande partie importés. Sous un dais "
            "trône une statue de bronze doré de l'empereur, fondue en France ; sa dépouille "
            "repose sous la statue."
        ),
        "zh": (
            "启定帝于1916年至1925年在位。他的陵墓应陵于1920年动工，建在 Châu Chữ 山的山坡上（启定"
            "帝将此山改名为应山），直到1931年才在其子保大帝在位时完工。\n\n"
            "应陵是阮朝最后一座大型帝陵，也是最与众不同的一座。它以**钢筋混凝土**建成，融合了越南"
            "传统与欧洲建筑风格。饰有龙形栏杆的台阶层层而上，通往立着石雕文武官员、大象和骏马的拜"
            "庭，再往上是八角形的碑亭。\n\n"
            "最高处是天定宫。宫内的墙壁和天花满是用瓷片和彩色玻璃镶嵌而成的装饰，所用材料大多从国"
            "外进口。华盖之下端坐着一尊在法国铸造的鎏金铜像，启定帝的遗骸就安葬在铜像之下。"
        ),
        "ko": (
            "카이딘 황제는 1916년부터 1925년까지 재위했습니다. 그의 능인 응릉(應陵)은 1920년 쩌우"
            "쯔 산 기슭에서 공사를 시작했는데, 황제는 이 산의 이름을 응산(應山)으로 바꾸었습니다. "
            "능은 아들 바오다이 황제 때인 1931년에 완성되었습니다.\n\n"
            "응우옌 왕조의 큰 황제릉 가운데 마지막이자 가장 독특한 능입니다. **철근 콘크리트**로 "
            "지었으며, 베트남의 전통과 유럽 건축이 어우러져 있습니다. 용 모양 난간이 늘어선 계단을"
            " 오르면 돌로 만든 문무 관원과 코끼리, 말이 지키는 뜰이 나오고, 이어 팔각형의 비각이 "
            "있습니다.\n\n"
            "맨 위에는 티엔딘 궁(天定宮)이 있습니다. 벽과 천장은 도자기 조각과 색유리로 만든 모자"
            "이크로 뒤덮여 있는데, 재료의 상당수는 외국에서 들여왔습니다. 닫집 아래에는 프랑스에서"
            " 주조한 황제의 금도금 청동상이 앉아 있고, 유해는 그 아래에 안치되어 있습니다."
        ),
        "ja": (
            "カイディン帝（啓定帝）の在位は1916年から1925年まで。その陵、応陵は1920年にチャウチュ"
            "ー山の斜面で着工しました。帝はこの山を応山と改名しています。完成は1931年、息子の保大"
            "帝（バオダイ帝）の時代でした。\n\n"
            "阮朝の大規模な皇帝陵のうち最後のもので、最も独特な陵でもあります。**鉄筋コンクリート"
            "**で造られ、ベトナムの伝統とヨーロッパの建築が融け合っています。龍の欄干が続く階段を"
            "上ると、石の文官・武官や象、馬が並ぶ前庭があり、その先に八角形の碑亭が建っています。"
            "\n\n"
            "最上段には天定宮があります。壁や天井は陶磁器の破片と色ガラスのモザイクで覆い尽くさ"
            "れ、その材料の多くは外国から取り寄せられました。天蓋の下には、フランスで鋳造された金"
            "めっきの青銅の皇帝像が座り、その下に帝の遺骸が葬られています。"
        ),
    },
    "model_alt": {
        "vi": (
            "Mô hình 3D lăng Khải Định: các tầng nền bê tông xám nối nhau bằng bậc cấp có lan can "
            "rồng, hàng tượng đá, nhà bia bát giác và trên cùng là cung Thiên Định với mái cong."
        ),
        "en": (
            "3D model of Khải Định's tomb: grey concrete terraces linked by stairways with dragon "
            "balustrades, rows of stone statues, an octagonal stele pavilion and, at the top, "
            "Thiên Định palace under curved roofs."
        ),
        "fr": (
            "Modèle 3D du tombeau de Khải Định : des terrasses de béton gris reliées par des "
            "escaliers à rampes de dragons, des rangées de statues de pierre, un pavillon "
            "octogonal de la stèle et, au sommet, le palais Thiên Định sous des toits incurvés."
        ),
        "zh": (
            "启定帝陵三维模型：灰色混凝土台地由饰有龙形栏杆的台阶相连，排列着石像，中间是八角形碑"
            "亭，最高处是屋顶弯曲的天定宫。"
        ),
        "ko": (
            "카이딘 황제릉 3D 모형: 용 난간 계단으로 이어지는 회색 콘크리트 단, 줄지어 선 석상, 팔"
            "각형 비각, 그리고 맨 위에 휘어진 지붕의 티엔딘 궁이 있습니다."
        ),
        "ja": (
            "カイディン帝廟の3Dモデル：龍の欄干のある階段で結ばれた灰色のコンクリートの段、並んだ"
            "石像、八角形の碑亭、そして最上段に反りのある屋根の天定宮があります。"
        ),
    },
    "hotspots": [
        {
            "position": "0m 20m -28.5m",
            "normal": "0m 0m 1m",
            "label": {
                "vi": "Cung Thiên Định",
                "en": "Thiên Định palace",
                "fr": "Le palais Thiên Định",
                "zh": "天定宫",
                "ko": "티엔딘 궁",
                "ja": "天定宮",
            },
            "body": {
                "vi": (
                    "Công trình cao nhất của lăng. Sau mặt tiền bê tông sẫm màu là những gian "
                    "phòng lộng lẫy với tranh khảm sành sứ và thủy tinh."
                ),
                "en": (
                    "The highest building of the tomb. Behind its dark concrete front, the rooms "
                    "glitter with porcelain and glass mosaics."
                ),
                "fr": (
                    "Le bâtiment le plus élevé du tombeau. Derrière sa façade de béton sombre, "
                    "les salles scintillent de mosaïques de porcelaine et de verre."
                ),
                "zh": "陵中最高的建筑。深色混凝土立面之后，殿内满是闪烁的瓷片与玻璃镶嵌。",
                "ko": (
                    "능에서 가장 높은 건물입니다. 어두운 콘크리트 정면 뒤의 방들은 도자기와 유리 "
                    "모자이크로 반짝입니다."
                ),
                "ja": (
                    "陵で最も高い建物です。黒ずんだコンクリートの正面の奥では、陶磁器とガラスのモ"
                    "ザイクが部屋をきらびやかに飾っています。"
                ),
            },
        },
        {
            "position": "0m 13.8m 5.081m",
            "normal": "0m 0m 1m",
            "label": {
                "vi": "Bi Đình",
                "en": "The stele pavilion",
                "fr": "Le pavillon de la stèle",
                "zh": "碑亭",
                "ko": "비각",
                "ja": "碑亭",
            },
            "body": {
                "vi": "Nhà bia hình bát giác che chở tấm bia đá ghi công đức của vua Khải Định.",
                "en": (
                    "The octagonal Bi Đình shelters a stone stele that records the emperor's "
                    "merits."
                ),
                "fr": (
                    "Le pavillon octogonal, le Bi Đình, abrite une stèle de pierre qui célèbre "
                    "les mérites de l'empereur."
                ),
                "zh": "八角形的碑亭内立有一块石碑，记述启定帝的功德。",
                "ko": "팔각형의 비각 안에는 카이딘 황제의 공덕을 기린 돌비석이 서 있습니다.",
                "ja": "八角形の碑亭には、カイディン帝の功績をたたえる石碑が納められています。",
            },
        },
        {
            "position": "5.5m 8.8m 24.4m",
            "normal": "0m 0m 1m",
            "label": {
                "vi": "Hàng tượng đá",
                "en": "The honour guard",
                "fr": "La garde d'honneur",
                "zh": "石像仪仗",
                "ko": "석상 의장대",
                "ja": "石像の儀仗",
            },
            "body": {
                "vi": (
                    "Hai hàng tượng quan văn, quan võ cùng voi và ngựa bằng đá đứng chầu hai bên "
                    "sân, theo truyền thống các lăng vua trước."
                ),
                "en": (
                    "Two rows of stone mandarins, with elephants and horses, face each other "
                    "across the courtyard, as at earlier imperial tombs."
                ),
                "fr": (
                    "Deux rangées de mandarins de pierre, avec des éléphants et des chevaux, se "
                    "font face de part et d'autre de la cour, comme dans les tombeaux impériaux "
                    "plus anciens."
                ),
                "zh": "庭院两侧相对排列着石雕文武官员以及大象和骏马，沿袭了前代帝陵的传统。",
                "ko": (
                    "뜰 양쪽에는 돌로 만든 문무 관원과 코끼리, 말이 마주 보고 늘어서 있어, 앞선 황"
                    "제릉의 전통을 잇습니다."
                ),
                "ja": (
                    "前庭の両側には石の文官・武官や象、馬が向かい合って並び、それ以前の皇帝陵の伝"
                    "統を受け継いでいます。"
                ),
            },
        },
    ],
}
