"""Demo stop: Cao Đỉnh, the largest of the Nine Dynastic Urns."""

from __future__ import annotations

from tours.demo.schema import Stop

STOP: Stop = {
    "monument": "cao-dinh",
    "camera": {
        "orbit": "-15deg 76deg 7.5m",
        "target": "0m 1.4m 0m",
        "field_of_view": "30deg",
    },
    "title": {
        "vi": "Cao Đỉnh trong Cửu Đỉnh",
        "en": "Cao Đỉnh, the largest of the Nine Dynastic Urns",
        "fr": "Cao Đỉnh, la plus grande des neuf urnes dynastiques",
        "zh": "九鼎之首：高鼎",
        "ko": "구정(九鼎)의 으뜸, 까오딘(高鼎)",
        "ja": "九鼎の筆頭・高鼎",
    },
    "narration": {
        "vi": (
            "Trong sân Thế Miếu, nơi thờ các vua triều Nguyễn, có chín chiếc đỉnh bằng đồng, gọi "
            "là Cửu Đỉnh. Vua Minh Mạng cho đúc từ năm 1835 đến năm 1837, tượng trưng cho sự "
            "trường tồn của vương triều và sự thống nhất của đất nước.\n\n"
            "Mỗi đỉnh gắn với một vị vua. **Cao Đỉnh** lớn nhất, cao khoảng 2,5 mét, ứng với vua "
            "Gia Long, người sáng lập triều Nguyễn, và được đặt ở chính giữa.\n\n"
            "Trên mỗi đỉnh có mười bảy hình chạm nổi: mặt trời, mặt trăng, tinh tú, núi sông, cây "
            "cỏ, muông thú, thuyền bè, vũ khí… Tất cả hợp thành một bức tranh về nước Việt Nam "
            "thế kỷ XIX. Cửu Đỉnh được công nhận là Bảo vật quốc gia năm 2012; năm 2024, các hình "
            "chạm trên Cửu Đỉnh được ghi vào Danh mục Di sản tư liệu thế giới khu vực châu Á – "
            "Thái Bình Dương của UNESCO."
        ),
        "en": (
            "In the courtyard of Thế Miếu, the temple where the Nguyễn emperors are worshipped, "
            "stand nine bronze urns, the Cửu Đỉnh. Emperor Minh Mạng had them cast between 1835 "
            "and 1837, as symbols of the dynasty's lasting power and of a unified country.\n\n"
            "Each urn is linked to one emperor. **Cao Đỉnh**, the largest, about 2.5 metres tall, "
            "honours Gia Long, the founder of the dynasty, and stands at the centre.\n\n"
            "Every urn carries seventeen images in relief: the sun, moon and stars, mountains and "
            "rivers, plants, animals, boats and weapons. Together they form a portrait of Vietnam "
            "in the nineteenth century. The urns were declared a National Treasure in 2012, and "
            "in 2024 their reliefs were inscribed on UNESCO's Memory of the World Register for "
            "Asia and the Pacific."
        ),
        "fr": (
            "Dans la cour du Thế Miếu, le temple où sont vénérés les empereurs Nguyễn, se "
            "dressent neuf urnes de bronze, les Cửu Đỉnh. L'empereur Minh Mạng les fit fondre "
            "entre 1835 et 1837, symboles de la pérennité de la dynastie et de l'unité du pays.\n"
            "\n"
            "Chaque urne est associée à un empereur. **Cao Đỉnh**, la plus grande, haute "
            "d'environ 2,5 mètres, honore Gia Long, le fondateur de la dynastie, et occupe le "
            "centre.\n\n"
            "Chaque urne porte dix-sept images en relief : le soleil, la lune et les étoiles, des "
            "montagnes et des fleuves, des plantes, des animaux, des bateaux, des armes… "
            "Ensemble, elles dessinent un portrait du Vietnam au XIXe siècle. Les urnes ont été "
            "reconnues trésor national en 2012, et leurs reliefs ont été inscrits en 2024 au "
            "registre Asie-Pacifique de la Mémoire du monde de l'UNESCO."
        ),
        "zh": (
            "在供奉阮朝历代皇帝的世庙庭院中，矗立着九座青铜大鼎，称为“九鼎”。它们由明命帝下令于"
            "1835年至1837年间铸造，象征王朝的长治久安与国家的统一。\n\n"
            "每座鼎都对应一位皇帝。其中最大的**高鼎**高约2.5米，献给阮朝的开国皇帝嘉隆帝，安放在九"
            "鼎的正中。\n\n"
            "每座鼎上都铸有十七幅浮雕：日月星辰、山川河流、花草树木、飞禽走兽、舟船兵器……共同勾勒"
            "出十九世纪越南的风貌。九鼎于2012年被列为越南国宝；2024年，九鼎上的浮雕被列入联合国教"
            "科文组织《世界记忆亚太地区名录》。"
        ),
        "ko": (
            "응우옌 왕조의 역대 황제를 모신 세묘(世廟, 테미에우) 앞뜰에는 아홉 개의 청동 솥, 구정"
            "(九鼎)이 서 있습니다. 민망 황제가 1835년부터 1837년까지 주조하게 한 것으로, 왕조의 영"
            "속과 나라의 통일을 상징합니다.\n\n"
            "솥마다 황제 한 사람씩이 짝지어져 있습니다. 그중 가장 큰 **까오딘(高鼎)**은 높이가 약 "
            "2.5미터로, 왕조를 연 자롱 황제를 기리며 한가운데에 놓여 있습니다.\n\n"
            "솥마다 열일곱 개의 돋을새김이 있습니다. 해와 달과 별, 산과 강, 초목과 동물, 배와 무기"
            " 등이 새겨져 있어, 함께 보면 19세기 베트남의 모습이 그려집니다. 구정은 2012년 베트남 "
            "국보로 지정되었고, 2024년에는 그 부조가 유네스코 세계기록유산 아시아·태평양 지역목록"
            "에 등재되었습니다."
        ),
        "ja": (
            "阮朝の歴代皇帝を祀る世廟（テーミエウ）の前庭には、九つの青銅の鼎「九鼎」が並んでいま"
            "す。明命帝の命により1835年から1837年にかけて鋳造されたもので、王朝の永続と国の統一を"
            "象徴しています。\n\n"
            "それぞれの鼎は一人の皇帝に対応しています。最も大きな**高鼎**は高さ約2.5メートル、阮朝"
            "を開いた嘉隆帝（ザーロン帝）にあたり、中央に置かれています。\n\n"
            "どの鼎にも十七の浮き彫りがあります。太陽、月、星、山や川、草木や動物、船や武器などが"
            "刻まれ、十九世紀のベトナムの姿を描き出しています。九鼎は2012年にベトナムの国宝に指定"
            "され、2024年にはその浮き彫りがユネスコ「世界の記憶」アジア太平洋地域登録に登録されま"
            "した。"
        ),
    },
    "model_alt": {
        "vi": (
            "Mô hình 3D Cao Đỉnh: chiếc đỉnh đồng bụng tròn, miệng loe, hai quai dựng đứng và ba "
            "chân, đặt trên bệ đá vuông."
        ),
        "en": (
            "3D model of Cao Đỉnh: a round-bellied bronze urn with a flared rim, two upright "
            "handles and three legs, standing on a square stone pedestal."
        ),
        "fr": (
            "Modèle 3D de Cao Đỉnh : une urne de bronze à panse ronde et bord évasé, avec deux "
            "anses dressées et trois pieds, posée sur un socle de pierre carré."
        ),
        "zh": "高鼎三维模型：圆腹青铜鼎，鼎口外撇，立有双耳，下有三足，置于方形石座之上。",
        "ko": (
            "까오딘 3D 모형: 배가 둥글고 아가리가 벌어진 청동 솥으로, 손잡이 두 개와 다리 세 개가 "
            "있으며 네모난 돌 받침 위에 놓여 있습니다."
        ),
        "ja": (
            "高鼎の3Dモデル：胴が丸く口の開いた青銅の鼎で、二つの耳と三本の脚があり、四角い石の台"
            "座に置かれています。"
        ),
    },
    "hotspots": [
        {
            "position": "0m 1.45m 0.8m",
            "normal": "0m 0m 1m",
            "label": {
                "vi": "Mười bảy hình chạm",
                "en": "Seventeen reliefs",
                "fr": "Dix-sept reliefs",
                "zh": "十七幅浮雕",
                "ko": "열일곱 개의 부조",
                "ja": "十七の浮き彫り",
            },
            "body": {
                "vi": (
                    "Các hình được đúc nổi trên thân đỉnh, mỗi hình đều có tên khắc bằng chữ Hán."
                ),
                "en": (
                    "The images are cast in relief on the body of the urn, each labelled with its "
                    "name in Chinese characters."
                ),
                "fr": (
                    "Les images sont coulées en relief sur la panse de l'urne, chacune "
                    "accompagnée de son nom en caractères chinois."
                ),
                "zh": "浮雕铸在鼎腹上，每幅图旁都铸有汉字名称。",
                "ko": (
                    "그림들은 솥의 몸통에 돋을새김으로 주조되어 있으며, 그림마다 한자로 이름이 새"
                    "겨져 있습니다."
                ),
                "ja": "図柄は鼎の胴に浮き彫りで鋳出され、それぞれに漢字で名前が記されています。",
            },
        },
        {
            "position": "0.74m 2.74m 0.26m",
            "normal": "0m 0m 1m",
            "label": {
                "vi": "Hai quai đỉnh",
                "en": "Two handles",
                "fr": "Deux anses",
                "zh": "双耳",
                "ko": "두 개의 손잡이",
                "ja": "二つの耳",
            },
            "body": {
                "vi": (
                    "Hai quai dựng đứng trên miệng đỉnh; tính đến đầu quai, Cao Đỉnh cao khoảng "
                    "2,5 mét."
                ),
                "en": (
                    "Two upright handles rise from the rim. Measured to their tops, the urn "
                    "stands about 2.5 metres tall."
                ),
                "fr": (
                    "Deux anses dressées surmontent le bord. Jusqu'à leur sommet, l'urne mesure "
                    "environ 2,5 mètres."
                ),
                "zh": "鼎口上立着两只鼎耳；连同鼎耳在内，高鼎高约2.5米。",
                "ko": (
                    "솥 아가리 위로 두 개의 손잡이가 곧게 서 있습니다. 손잡이 끝까지 재면 높이가 "
                    "약 2.5미터입니다."
                ),
                "ja": (
                    "鼎の口縁には二つの耳が立っています。耳の先まで含めると、高さは約2.5メートルで"
                    "す。"
                ),
            },
        },
        {
            "position": "-0.433m 0.6m 0.378m",
            "normal": "0m 0m 1m",
            "label": {
                "vi": "Ba chân",
                "en": "Three legs",
                "fr": "Trois pieds",
                "zh": "三足",
                "ko": "세 개의 다리",
                "ja": "三本の脚",
            },
            "body": {
                "vi": (
                    "Đỉnh là loại vạc ba chân có từ thời cổ; cả chín chiếc trong Cửu Đỉnh đều "
                    "đứng trên ba chân."
                ),
                "en": (
                    "A đỉnh (鼎) is an ancient kind of three-legged vessel; all nine of the "
                    "dynastic urns stand on three legs."
                ),
                "fr": (
                    "Un đỉnh (鼎) est un vase tripode de tradition ancienne ; les neuf urnes "
                    "dynastiques reposent toutes sur trois pieds."
                ),
                "zh": "鼎是古代的三足礼器；九鼎都以三足稳稳立地。",
                "ko": (
                    "정(鼎)은 다리가 셋 달린 옛 그릇입니다. 아홉 개의 솥 모두 세 다리로 서 있습니"
                    "다."
                ),
                "ja": "鼎とは三本脚の古代の器のことで、九鼎はいずれも三本の脚で立っています。",
            },
        },
    ],
}
