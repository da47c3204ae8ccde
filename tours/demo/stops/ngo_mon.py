"""Demo stop: Ngọ Môn, the Noon Gate of the Imperial City."""

from __future__ import annotations

from tours.demo.schema import Stop

STOP: Stop = {
    "monument": "ngo-mon",
    "camera": {
        "orbit": "-25deg 72deg 120m",
        "target": "0m 7m 0m",
        "field_of_view": "30deg",
    },
    "title": {
        "vi": "Ngọ Môn",
        "en": "Ngọ Môn, the Noon Gate",
        "fr": "Ngọ Môn, la porte du Midi",
        "zh": "午门",
        "ko": "응오몬(午門)",
        "ja": "午門（ゴーモン）",
    },
    "narration": {
        "vi": (
            "Ngọ Môn là cổng chính của Hoàng thành Huế, được xây dựng năm 1833 dưới triều vua "
            "Minh Mạng. Cổng quay về hướng nam – hướng Ngọ – nên mang tên Ngọ Môn.\n\n"
            "Phần đài bằng gạch và đá hình chữ U, cao gần 5 mét, dài gần 58 mét, có **năm lối "
            "đi**. Cửa chính giữa chỉ dành cho vua; hai cửa bên dành cho các quan văn, quan võ; "
            "hai cửa Tả Dịch Môn và Hữu Dịch Môn nằm trong hai cánh chữ U là lối đi của lính, voi "
            "và ngựa.\n\n"
            "Phía trên là lầu Ngũ Phụng: hai tầng bằng gỗ dựng trên một trăm cột, với chín bộ "
            "mái; nhìn từ trên cao, các mái lầu như năm con chim phượng đang xòe cánh. Nơi đây "
            "từng diễn ra nhiều đại lễ của triều Nguyễn, và ngày 30 tháng 8 năm 1945, vua Bảo Đại "
            "đã thoái vị tại Ngọ Môn."
        ),
        "en": (
            "Ngọ Môn is the main entrance to the Imperial City. Emperor Minh Mạng had it built in "
            "1833, facing south: *ngọ* is the sign of noon and of the south, hence its English "
            "name, the Noon Gate.\n\n"
            "The U-shaped base of brick and stone, almost 5 metres high and nearly 58 metres "
            "long, is pierced by **five gateways**. The central one was reserved for the emperor, "
            "the two beside it for civil and military mandarins, and the two hidden in the wings "
            "for soldiers, elephants and horses.\n\n"
            "On top stands Lầu Ngũ Phụng, the Five Phoenix Pavilion: two wooden storeys on a "
            "hundred columns under nine roofs, which seen from above are said to resemble five "
            "phoenixes. Here the emperor presided over great ceremonies, and here, on 30 August "
            "1945, Bảo Đại, the last emperor, abdicated."
        ),
        "fr": (
            "Ngọ Môn est l'entrée principale de la Cité impériale. L'empereur Minh Mạng la fit "
            "construire en 1833, tournée vers le sud : *ngọ* désigne à la fois midi et le sud, "
            "d'où son nom de porte du Midi.\n\n"
            "Son soubassement en U, de brique et de pierre, haut de près de 5 mètres et long de "
            "près de 58 mètres, est percé de **cinq passages**. Celui du centre était réservé à "
            "l'empereur, les deux voisins aux mandarins civils et militaires, et les deux cachés "
            "dans les ailes aux soldats, aux éléphants et aux chevaux.\n\n"
            "Au-dessus se dresse Lầu Ngũ Phụng, le pavillon des Cinq Phénix : deux étages de bois "
            "sur cent colonnes, sous neuf toitures qui, vues d'en haut, évoqueraient cinq phénix. "
            "L'empereur y présidait les grandes cérémonies, et c'est ici que Bảo Đại, le dernier "
            "empereur, abdiqua le 30 août 1945."
        ),
        "zh": (
            "午门是顺化皇城的正门，建于1833年明命帝在位期间。城门朝南，而“午”在地支中代表正午与南"
            "方，故名午门。\n\n"
            "午门的台基以砖石砌成，呈“凹”字形，高近5米，长近58米，开有**五个门洞**：中门专供皇帝出"
            "入，两侧的门供文武百官通行，藏在两翼之中的左掖门、右掖门则供士兵、象队和马匹通过。\n"
            "\n"
            "台基之上是五凤楼：两层木构楼阁，立于百根立柱之上，覆有九组屋顶；据说从高处俯瞰，宛如"
            "五只展翅的凤凰。阮朝的许多重大典礼都在这里举行；1945年8月30日，末代皇帝保大也在午门宣"
            "布退位。"
        ),
        "ko": (
            "응오몬(午門)은 후에 황성의 정문으로, 1833년 민망 황제 때 세워졌습니다. 문은 남쪽을 향"
            "하는데, '오(午)'는 한낮과 남쪽을 가리키는 글자여서 '정오의 문'이라고도 불립니다.\n\n"
            "벽돌과 돌로 쌓은 ㄷ자형 기단은 높이가 5미터에 가깝고 길이는 58미터에 이르며, **다섯 "
            "개의 문**이 나 있습니다. 가운데 문은 황제만 드나들 수 있었고, 양옆의 문은 문무백관이"
            ", 양 날개 안쪽에 숨은 두 문은 병사와 코끼리, 말이 지나던 길이었습니다.\n\n"
            "그 위에는 오봉루(五鳳樓)가 있습니다. 백 개의 기둥 위에 올린 2층 목조 누각으로, 아홉 "
            "개의 지붕이 위에서 보면 날개를 편 다섯 마리 봉황처럼 보인다고 합니다. 응우옌 왕조의 "
            "큰 의식이 이곳에서 열렸고, 1945년 8월 30일 마지막 황제 바오다이가 이곳에서 퇴위했습니"
            "다."
        ),
        "ja": (
            "午門は、フエ王宮（皇城）の正門です。1833年、明命帝（ミンマン帝）の時代に建てられまし"
            "た。門は南を向いており、「午」が正午と南を表すことから、この名が付けられました。\n\n"
            "煉瓦と石で築かれたコの字形の基壇は高さ5メートル近く、長さは約58メートル。そこに**五つ"
            "の門**が開いています。中央の門は皇帝専用、その両脇は文官と武官のため、両翼の内側に隠"
            "れた二つの門は兵士や象、馬が通るためのものでした。\n\n"
            "基壇の上には五鳳楼が建っています。百本の柱に支えられた木造二階建ての楼閣で、九つの屋"
            "根を上から眺めると、翼を広げた五羽の鳳凰のように見えるといいます。阮朝の重要な儀式が"
            "ここで行われ、1945年8月30日には最後の皇帝・保大帝（バオダイ帝）がこの門で退位しまし"
            "た。"
        ),
    },
    "model_alt": {
        "vi": (
            "Mô hình 3D Ngọ Môn: đài đá hình chữ U với ba cửa ở mặt trước, bên trên là lầu hai "
            "tầng cột đỏ, mái giữa màu vàng, các mái bên màu xanh."
        ),
        "en": (
            "3D model of Ngọ Môn: a U-shaped stone base with three gateways in front, topped by a "
            "two-storey red-columned pavilion with a yellow central roof and green side roofs."
        ),
        "fr": (
            "Modèle 3D de Ngọ Môn : un soubassement de pierre en U percé de trois portes en "
            "façade, surmonté d'un pavillon à deux étages aux colonnes rouges, au toit central "
            "jaune et aux toits latéraux verts."
        ),
        "zh": (
            "午门三维模型：凹字形石砌台基，正面有三个门洞，上方是红柱两层楼阁，中间屋顶为黄色，两"
            "侧屋顶为绿色。"
        ),
        "ko": (
            "응오몬 3D 모형: 정면에 문 세 개가 난 ㄷ자형 석조 기단 위에 붉은 기둥의 2층 누각이 있"
            "고, 가운데 지붕은 노란색, 양옆 지붕은 초록색입니다."
        ),
        "ja": (
            "午門の3Dモデル：正面に三つの門があるコの字形の石の基壇の上に、赤い柱の二階建ての楼閣"
            "が載り、中央の屋根は黄色、両側の屋根は緑です。"
        ),
    },
    "hotspots": [
        {
            "position": "0m 2m -1.73m",
            "normal": "0m 0m 1m",
            "label": {
                "vi": "Cửa dành cho vua",
                "en": "The emperor's gate",
                "fr": "La porte de l'empereur",
                "zh": "皇帝专用的中门",
                "ko": "황제의 문",
                "ja": "皇帝の門",
            },
            "body": {
                "vi": (
                    "Cửa chính giữa chỉ dành riêng cho nhà vua. Hai cửa hai bên là lối đi của các "
                    "quan văn và quan võ."
                ),
                "en": (
                    "The central gateway was reserved for the emperor alone. The two on either "
                    "side served the civil and military mandarins."
                ),
                "fr": (
                    "Le passage central était réservé au seul empereur. Les deux passages voisins "
                    "servaient aux mandarins civils et militaires."
                ),
                "zh": "正中的门洞仅供皇帝一人出入，两侧的门洞则供文武官员通行。",
                "ko": (
                    "가운데 문은 오직 황제만 지날 수 있었습니다. 양옆의 두 문은 문관과 무관이 드나"
                    "들던 문입니다."
                ),
                "ja": (
                    "中央の門を通れるのは皇帝ただ一人でした。両脇の二つの門は文官と武官が使いまし"
                    "た。"
                ),
            },
        },
        {
            "position": "0m 13.415m -4.27m",
            "normal": "0m 0.83m 0.56m",
            "label": {
                "vi": "Mái ngói vàng",
                "en": "Yellow tiles for the emperor",
                "fr": "Les tuiles jaunes de l'empereur",
                "zh": "帝王的黄色琉璃瓦",
                "ko": "황제의 노란 기와",
                "ja": "皇帝の黄色い瓦",
            },
            "body": {
                "vi": (
                    "Bộ mái chính giữa của lầu Ngũ Phụng lợp ngói lưu ly màu vàng, màu dành cho "
                    "vua; các mái còn lại lợp ngói xanh."
                ),
                "en": (
                    "The central roof of the Five Phoenix Pavilion is covered with yellow glazed "
                    "tiles, the emperor's colour; the other roofs are green."
                ),
                "fr": (
                    "La toiture centrale du pavillon des Cinq Phénix est couverte de tuiles "
                    "vernissées jaunes, la couleur de l'empereur ; les autres sont vertes."
                ),
                "zh": "五凤楼正中的屋顶铺着黄色琉璃瓦，黄色是帝王的象征；其余屋顶则铺绿色琉璃瓦。",
                "ko": (
                    "오봉루 가운데 지붕은 황제를 상징하는 노란 유약 기와로 덮여 있고, 나머지 지붕"
                    "은 초록 기와입니다."
                ),
                "ja": (
                    "五鳳楼の中央の屋根は、皇帝の色である黄色の釉薬瓦で葺かれています。ほかの屋根"
                    "は緑の瓦です。"
                ),
            },
        },
        {
            "position": "20.835m 1.6m 5.5m",
            "normal": "-1m 0m 0m",
            "label": {
                "vi": "Cửa Dịch Môn",
                "en": "A side gate in the wing",
                "fr": "Une porte dans l'aile",
                "zh": "两翼的掖门",
                "ko": "날개 안쪽의 곁문",
                "ja": "両翼の脇門",
            },
            "body": {
                "vi": (
                    "Trong mỗi cánh chữ U có một cửa phụ, Tả Dịch Môn và Hữu Dịch Môn, dành cho "
                    "lính, voi và ngựa đi qua."
                ),
                "en": (
                    "Inside each arm of the U, a side gate (Tả Dịch Môn and Hữu Dịch Môn) let "
                    "soldiers, elephants and horses pass."
                ),
                "fr": (
                    "Dans chaque aile du U, une porte latérale (Tả Dịch Môn et Hữu Dịch Môn) "
                    "livrait passage aux soldats, aux éléphants et aux chevaux."
                ),
                "zh": "凹字形两翼的内侧各有一道侧门，即左掖门和右掖门，供士兵、象队和马匹通行。",
                "ko": (
                    "ㄷ자형 양 날개 안쪽에는 곁문인 좌액문과 우액문이 하나씩 있어, 병사와 코끼리, "
                    "말이 지나다녔습니다."
                ),
                "ja": (
                    "コの字形の両翼の内側には、左掖門と右掖門という脇門があり、兵士や象、馬が通り"
                    "ました。"
                ),
            },
        },
    ],
}
