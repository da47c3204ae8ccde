"""Demo stop: Trường Tiền bridge over the Perfume River."""

from __future__ import annotations

from tours.demo.schema import Stop

STOP: Stop = {
    "monument": "truong-tien",
    "camera": {
        "orbit": "-50deg 80deg 660m",
        "target": "-90m 7m 0m",
        "field_of_view": "12deg",
    },
    "title": {
        "vi": "Cầu Trường Tiền",
        "en": "Trường Tiền bridge",
        "fr": "Le pont Trường Tiền",
        "zh": "长钱桥",
        "ko": "쯔엉띠엔 다리",
        "ja": "チュオンティエン橋",
    },
    "narration": {
        "vi": (
            "Cầu Trường Tiền là cây cầu của những câu hò, điệu hát xứ Huế. Cầu được xây bằng thép "
            "từ năm 1897 đến năm 1899, dưới triều vua Thành Thái, và ban đầu mang tên cầu Thành "
            "Thái. Tên Trường Tiền bắt nguồn từ xưởng đúc tiền của triều Nguyễn từng đặt gần đó.\n"
            "\n"
            "Cầu dài khoảng **400 mét, gồm sáu nhịp**, mỗi nhịp chừng 67 mét, dáng vòm cong mềm "
            "mại, tựa trên các trụ giữa dòng sông Hương; câu hát “Cầu Trường Tiền sáu vài mười "
            "hai nhịp” đã quen thuộc với bao thế hệ. Cầu do một hãng của Pháp thi công; nhiều tài "
            "liệu gắn công trình với hãng Eiffel, dù giới nghiên cứu vẫn còn tranh luận.\n\n"
            "Năm 1904, một trận bão lớn quật đổ nhiều nhịp cầu; chiến tranh trong thế kỷ XX lại "
            "nhiều lần làm cầu hư hại nặng. Cây cầu ngày nay được trùng tu từ năm 1991 đến năm "
            "1995."
        ),
        "en": (
            "Trường Tiền is the bridge of Huế's songs and postcards. It was built of steel "
            "between 1897 and 1899, under Emperor Thành Thái, and first bore his name. Its "
            "present name comes from the Nguyễn dynasty's mint, the *trường tiền*, which stood "
            "nearby.\n\n"
            "The bridge is about **400 metres long, in six spans** of about 67 metres, each a "
            "gently arched steel truss resting on piers in the Perfume River. A French firm built "
            "it; it is often attributed to the Eiffel company, though historians still debate the "
            "point.\n\n"
            "Its history has been eventful: a typhoon in 1904 threw several spans into the river, "
            "and the wars of the twentieth century damaged it badly more than once. The bridge "
            "you see today was restored between 1991 and 1995."
        ),
        "fr": (
            "Trường Tiền est le pont des chansons et des cartes postales de Huế. Construit en "
            "acier de 1897 à 1899, sous l'empereur Thành Thái, il porta d'abord son nom. Son nom "
            "actuel vient de l'hôtel des monnaies des Nguyễn, le *trường tiền*, qui se trouvait "
            "tout près.\n\n"
            "Long d'environ **400 mètres, il compte six travées** d'environ 67 mètres, chacune "
            "formée d'une poutre en treillis d'acier doucement cintrée, posée sur des piles "
            "plantées dans la rivière des Parfums. Une entreprise française l'a construit ; on "
            "l'attribue souvent à la maison Eiffel, mais les historiens en débattent encore.\n\n"
            "Son histoire fut mouvementée : en 1904, un typhon précipita plusieurs travées dans "
            "la rivière, et les guerres du XXe siècle l'endommagèrent gravement à plusieurs "
            "reprises. Le pont actuel a été restauré entre 1991 et 1995."
        ),
        "zh": (
            "长钱桥是顺化民歌与明信片中最常见的风景。这座钢桥建于1897年至1899年成泰帝在位期间，最"
            "初以成泰帝的名字命名。它的越南语名称 Trường Tiền 意为“铸钱场”，源于阮朝曾设在附近的铸"
            "钱厂。\n\n"
            "大桥全长约**400米，共六跨**，每跨约67米，每一跨都是一道弧线柔和的钢桁架，架在香江中的"
            "桥墩上。大桥由一家法国公司建造，常被认为出自埃菲尔公司之手，不过史学界对此仍有争论。"
            "\n\n"
            "它的命运颇为坎坷：1904年，一场台风将数跨桥身掀入江中；二十世纪的战争又让它多次严重受"
            "损。今天所见的大桥是在1991年至1995年间修复的。"
        ),
        "ko": (
            "쯔엉띠엔 다리는 후에의 노래와 엽서에 빠지지 않는 다리입니다. 타인타이 황제 때인 "
            "1897년부터 1899년까지 강철로 지어졌으며, 처음에는 황제의 이름을 따 타인타이 다리라고 "
            "불렸습니다. 지금의 이름은 근처에 있던 응우옌 왕조의 주전소, 곧 '쯔엉띠엔(場錢)'에서 "
            "왔습니다.\n\n"
            "다리는 길이 약 **400미터로 여섯 개의 경간**으로 이루어져 있습니다. 약 67미터의 경간마"
            "다 완만한 아치 모양의 강철 트러스가 흐엉강의 교각 위에 놓여 있습니다. 프랑스 회사가 "
            "건설했으며 흔히 에펠사의 작품으로 알려져 있지만, 이에 대해서는 연구자들 사이에 아직 "
            "논란이 있습니다.\n\n"
            "다리의 역사는 순탄치 않았습니다. 1904년 태풍으로 여러 경간이 강물에 떨어졌고, 20세기"
            "의 전쟁 중에도 여러 차례 크게 부서졌습니다. 지금의 다리는 1991년부터 1995년까지 복원"
            "된 모습입니다."
        ),
        "ja": (
            "チュオンティエン橋は、フエの歌や絵はがきに欠かせない橋です。成泰帝（タインタイ帝）の"
            "時代、1897年から1899年にかけて鋼鉄で架けられ、はじめは皇帝の名を取ってタインタイ橋と"
            "呼ばれました。今の名は、近くにあった阮朝の造幣所「場銭（チュオンティエン）」に由来し"
            "ます。\n\n"
            "長さは約**400メートル、六つの径間**からなり、一つの径間は約67メートル。ゆるやかな弧を"
            "描く鋼のトラスが、フォーン川に立つ橋脚の上に架かっています。建設したのはフランスの会"
            "社で、エッフェル社の作とよく言われますが、研究者の間ではなお議論があります。\n\n"
            "その歴史は平坦ではありませんでした。1904年には台風で複数の径間が川に落ち、20世紀の戦"
            "争でもたびたび大きな被害を受けました。現在の姿は1991年から1995年にかけて修復されたも"
            "のです。"
        ),
    },
    "model_alt": {
        "vi": (
            "Mô hình 3D cầu Trường Tiền: sáu nhịp giàn thép màu xám với đỉnh vòm cong nhẹ, đặt "
            "trên các trụ đá, hai bên có lối đi và lan can."
        ),
        "en": (
            "3D model of Trường Tiền bridge: six grey steel truss spans with gently arched tops, "
            "resting on stone piers, with walkways and railings along both sides."
        ),
        "fr": (
            "Modèle 3D du pont Trường Tiền : six travées en treillis d'acier gris aux membrures "
            "supérieures légèrement cintrées, posées sur des piles de pierre et bordées de "
            "trottoirs et de garde-corps."
        ),
        "zh": (
            "长钱桥三维模型：六跨灰色钢桁架，顶部呈平缓弧形，架在石砌桥墩上，两侧设有人行道和栏杆。"
        ),
        "ko": (
            "쯔엉띠엔 다리 3D 모형: 윗부분이 완만한 아치를 이루는 회색 강철 트러스 여섯 경간이 돌 "
            "교각 위에 놓여 있고, 양옆에 보행로와 난간이 있습니다."
        ),
        "ja": (
            "チュオンティエン橋の3Dモデル：上部がゆるやかな弧を描く灰色の鋼トラス六径間が石の橋脚"
            "に載り、両側に歩道と手すりがあります。"
        ),
    },
    "hotspots": [
        {
            "position": "-100.5m 12.2m 3.425m",
            "normal": "0m 0m 1m",
            "label": {
                "vi": "Vòm giàn thép",
                "en": "A bowed steel truss",
                "fr": "Une poutre cintrée",
                "zh": "弧形钢桁架",
                "ko": "아치형 강철 트러스",
                "ja": "弧を描く鋼のトラス",
            },
            "body": {
                "vi": (
                    "Mỗi nhịp là một giàn thép có thanh biên trên uốn cong như vòm; sáu đường "
                    "cong nối tiếp nhau tạo nên dáng hình quen thuộc của cầu."
                ),
                "en": (
                    "Each span is a steel truss whose top chord curves like a shallow arch. In a "
                    "row, the six curves give the bridge its famous rhythm."
                ),
                "fr": (
                    "Chaque travée est une poutre en treillis d'acier dont la membrure supérieure "
                    "se courbe comme un arc surbaissé ; alignées, les six courbes donnent au pont "
                    "son rythme célèbre."
                ),
                "zh": "每一跨都是上弦呈弧形的钢桁架，六道弧线连成一串，构成大桥独特的韵律。",
                "ko": (
                    "각 경간은 윗부분이 낮은 아치처럼 휘어진 강철 트러스입니다. 여섯 개의 곡선이 "
                    "이어져 다리 특유의 리듬을 만듭니다."
                ),
                "ja": (
                    "各径間は上弦がゆるやかな弧を描く鋼のトラスです。六つの弧が連なり、この橋なら"
                    "ではのリズムを生み出しています。"
                ),
            },
        },
        {
            "position": "-67m 2.7m 6.6m",
            "normal": "0m 0m 1m",
            "label": {
                "vi": "Trụ cầu",
                "en": "Piers in the river",
                "fr": "Les piles",
                "zh": "桥墩",
                "ko": "교각",
                "ja": "橋脚",
            },
            "body": {
                "vi": "Năm trụ giữa dòng sông Hương đỡ sáu nhịp cầu nối liền hai bờ.",
                "en": (
                    "Five piers standing in the Perfume River carry the six spans from bank to "
                    "bank."
                ),
                "fr": (
                    "Cinq piles plantées dans la rivière des Parfums portent les six travées "
                    "d'une rive à l'autre."
                ),
                "zh": "五座桥墩立在香江之中，承托着连接两岸的六跨桥身。",
                "ko": (
                    "흐엉강 가운데 선 다섯 개의 교각이 양쪽 기슭을 잇는 여섯 경간을 받치고 있습니"
                    "다."
                ),
                "ja": "フォーン川に立つ五つの橋脚が、両岸を結ぶ六つの径間を支えています。",
            },
        },
        {
            "position": "-120m 5.9m 4.4m",
            "normal": "0m 1m 0m",
            "label": {
                "vi": "Lối đi bộ",
                "en": "Walkways",
                "fr": "Les trottoirs",
                "zh": "人行道",
                "ko": "보행로",
                "ja": "歩道",
            },
            "body": {
                "vi": (
                    "Hai lối đi dành cho người đi bộ và xe đạp chạy dọc phía ngoài giàn thép, "
                    "nhường phần mặt cầu ở giữa cho xe cộ."
                ),
                "en": (
                    "Paths for pedestrians and cyclists run along the outside of the trusses, "
                    "leaving the roadway between them to traffic."
                ),
                "fr": (
                    "Des passerelles pour piétons et cyclistes longent l'extérieur des poutres, "
                    "laissant la chaussée centrale à la circulation."
                ),
                "zh": "钢桁架外侧设有供行人和自行车通行的步道，中间的桥面则留给车辆。",
                "ko": (
                    "트러스 바깥쪽으로 보행자와 자전거를 위한 길이 나 있고, 가운데 차도로는 차량이"
                    " 다닙니다."
                ),
                "ja": (
                    "トラスの外側には歩行者と自転車のための通路が設けられ、中央の車道は車両が通り"
                    "ます。"
                ),
            },
        },
    ],
}
