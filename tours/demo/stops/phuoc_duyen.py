"""Demo stop: Phước Duyên, the tower of Thiên Mụ pagoda."""

from __future__ import annotations

from tours.demo.schema import Stop

STOP: Stop = {
    "monument": "phuoc-duyen",
    "camera": {
        "orbit": "20deg 80deg 45m",
        "target": "0m 10.5m 0m",
        "field_of_view": "30deg",
    },
    "title": {
        "vi": "Tháp Phước Duyên, chùa Thiên Mụ",
        "en": "Phước Duyên tower, Thiên Mụ pagoda",
        "fr": "La tour Phước Duyên de la pagode Thiên Mụ",
        "zh": "天姥寺福缘塔",
        "ko": "티엔무 사원의 푸억주옌 탑",
        "ja": "ティエンムー寺の福縁塔",
    },
    "narration": {
        "vi": (
            "Trên đồi Hà Khê, bên bờ bắc sông Hương, chùa Thiên Mụ được chúa Nguyễn Hoàng cho "
            "dựng năm 1601. Tương truyền, người dân từng thấy một bà lão xuất hiện trên đồi và "
            "nói rằng sẽ có vị chân chúa đến đây lập chùa để tụ linh khí cho đất nước; vì thế "
            "chùa mang tên Thiên Mụ, nghĩa là “bà lão nhà trời”.\n\n"
            "Tháp Phước Duyên trước chùa được xây năm 1844 dưới triều vua Thiệu Trị. Tháp **hình "
            "bát giác, bảy tầng, cao khoảng 21 mét**, các tầng thu nhỏ dần lên cao, mỗi tầng xưa "
            "kia thờ một vị Phật.\n\n"
            "Soi bóng xuống dòng sông Hương êm đềm, ngọn tháp đã trở thành biểu tượng của xứ Huế. "
            "Bên cạnh tháp, trong một lầu nhỏ, treo quả Đại Hồng Chung đúc năm 1710 dưới thời "
            "chúa Nguyễn Phúc Chu."
        ),
        "en": (
            "On Hà Khê hill, above the north bank of the Perfume River (sông Hương), stands Thiên "
            "Mụ pagoda, founded in 1601 by Lord Nguyễn Hoàng. Legend says an old woman appeared "
            "on the hill and foretold that a lord would build a pagoda here for the good of the "
            "country; the name Thiên Mụ means “heavenly lady”.\n\n"
            "The tower in front of the pagoda, Phước Duyên, was added in 1844 under Emperor Thiệu "
            "Trị. It is **octagonal, seven storeys and about 21 metres high**, each storey a "
            "little narrower than the one below, and each once dedicated to a Buddha.\n\n"
            "Reflected in the slow river, the tower has become an emblem of Huế. In a pavilion "
            "beside it hangs a great bronze bell, cast in 1710 under Lord Nguyễn Phúc Chu."
        ),
        "fr": (
            "Sur la colline de Hà Khê, au-dessus de la rive nord de la rivière des Parfums (sông "
            "Hương), se dresse la pagode Thiên Mụ, fondée en 1601 par le seigneur Nguyễn Hoàng. "
            "Selon la légende, une vieille femme apparue sur la colline annonça qu'un seigneur "
            "viendrait y bâtir une pagode pour le bien du pays ; Thiên Mụ signifie « la dame "
            "céleste ».\n\n"
            "La tour Phước Duyên, devant la pagode, fut ajoutée en 1844 sous l'empereur Thiệu "
            "Trị. **Octogonale, haute d'environ 21 mètres, elle compte sept étages** qui se "
            "rétrécissent vers le haut ; chacun était autrefois dédié à un Bouddha.\n\n"
            "Reflétée dans les eaux lentes de la rivière, la tour est devenue l'emblème de Huế. "
            "Dans un pavillon voisin est suspendue une grande cloche de bronze, fondue en 1710 "
            "sous le seigneur Nguyễn Phúc Chu."
        ),
        "zh": (
            "天姥寺坐落在香江北岸的河溪山冈上，由阮主阮潢于1601年创建。相传曾有一位老妇人出现在山"
            "冈上，预言将有一位君主来此建寺，以保国运昌隆；“天姥”即“天上的老妇人”之意。\n\n"
            "寺前的福缘塔建于1844年绍治帝在位期间。塔身**呈八角形，共七层，高约21米**，逐层向上收"
            "分；相传每层原本都供奉着一尊佛像。\n\n"
            "塔影倒映在缓缓流淌的香江中，如今已成为顺化的象征。塔旁的亭中悬挂着一口大铜钟，铸于"
            "1710年阮福淍主政时期。"
        ),
        "ko": (
            "티엔무 사원은 흐엉강(향강) 북쪽 기슭의 하케 언덕 위에 자리하며, 1601년 응우옌호앙 영"
            "주가 세웠습니다. 전설에 따르면 한 노파가 언덕에 나타나 장차 한 군주가 나라를 위해 이"
            "곳에 절을 세울 것이라고 예언했다고 합니다. '티엔무(天姥)'는 '하늘의 노부인'이라는 뜻"
            "입니다.\n\n"
            "사원 앞의 푸억주옌 탑은 1844년 티에우찌 황제 때 세워졌습니다. **팔각형의 7층 탑으로 "
            "높이는 약 21미터**이며, 위로 갈수록 조금씩 좁아집니다. 각 층에는 본래 부처님을 한 분"
            "씩 모셨다고 전해집니다.\n\n"
            "느리게 흐르는 강물에 비친 이 탑은 후에를 상징하는 풍경이 되었습니다. 탑 옆의 누각에는"
            " 1710년 응우옌푹쭈 영주 때 주조한 큰 청동 종이 걸려 있습니다."
        ),
        "ja": (
            "ティエンムー寺（天姥寺）は、フォーン川（香江）北岸のハーケー丘に建つ寺で、1601年に阮"
            "潢（グエン・ホアン）が創建しました。伝説では、丘に現れた一人の老女が、やがて君主がこ"
            "こに国のための寺を建てるだろうと告げたといいます。「天姥」とは「天の老女」という意味"
            "です。\n\n"
            "寺の前に立つ福縁塔（フオックズエン塔）は、1844年、紹治帝（ティエウチ帝）の時代に加え"
            "られました。**八角形の七層塔で、高さは約21メートル**。上の層ほど少しずつ細くなり、各"
            "層にはかつて仏像が一体ずつ祀られていたと伝えられます。\n\n"
            "ゆったりと流れる川面に姿を映すこの塔は、今やフエの象徴です。塔の脇の楼には、1710年、"
            "阮福淍（グエン・フック・チュー）の時代に鋳造された大きな青銅の鐘が掛かっています。"
        ),
    },
    "model_alt": {
        "vi": (
            "Mô hình 3D tháp Phước Duyên: bảy tầng bát giác màu vàng nhạt, mái hiên xám và cửa "
            "vòm, thu nhỏ dần lên cao trên nền đá, đỉnh có chóp bằng đồng."
        ),
        "en": (
            "3D model of Phước Duyên tower: seven cream-coloured octagonal storeys with grey "
            "eaves and arched openings, narrowing upwards on a stone platform, with a bronze "
            "finial."
        ),
        "fr": (
            "Modèle 3D de la tour Phước Duyên : sept étages octogonaux de couleur crème, "
            "avant-toits gris et ouvertures en arc, qui se rétrécissent vers le haut sur une "
            "plate-forme de pierre, avec un faîte de bronze."
        ),
        "zh": (
            "福缘塔三维模型：七层八角形塔身呈米黄色，配灰色塔檐和拱形门窗，立于石台之上，逐层收"
            "分，顶部为铜色塔刹。"
        ),
        "ko": (
            "푸억주옌 탑 3D 모형: 돌 기단 위에 크림색 팔각형 7층이 위로 갈수록 좁아지며, 층마다 회"
            "색 처마와 아치형 창이 있고 꼭대기에 청동 장식이 있습니다."
        ),
        "ja": (
            "福縁塔の3Dモデル：石の基壇の上に、灰色の庇とアーチ形の開口を持つクリーム色の八角形の"
            "七層が上へ細くなりながら重なり、頂に青銅の飾りがあります。"
        ),
    },
    "hotspots": [
        {
            "position": "0m 1.9m 2.852m",
            "normal": "0m 0m 1m",
            "label": {
                "vi": "Cửa tầng dưới cùng",
                "en": "The door at the foot",
                "fr": "La porte du rez-de-chaussée",
                "zh": "底层的塔门",
                "ko": "1층 출입문",
                "ja": "一層目の入口",
            },
            "body": {
                "vi": (
                    "Tháp đứng trên một nền đá hình bát giác. Các ô cửa vòm mở ra trên tường của "
                    "mỗi tầng; đây là cửa vào ở tầng dưới cùng."
                ),
                "en": (
                    "The tower rises from an octagonal stone platform. Arched openings pierce the "
                    "walls of every storey; this one is the entrance at the foot."
                ),
                "fr": (
                    "La tour s'élève sur une plate-forme de pierre octogonale. Des ouvertures en "
                    "arc percent les murs de chaque étage ; voici l'entrée, au pied de la tour."
                ),
                "zh": "宝塔立于八角形的石台上，每层塔壁都开有拱形门窗；这里是底层的入口。",
                "ko": (
                    "탑은 팔각형 돌 기단 위에 서 있습니다. 층마다 벽에 아치형 창이 나 있으며, 이곳"
                    "은 맨 아래층의 입구입니다."
                ),
                "ja": (
                    "塔は八角形の石の基壇の上に立ち、各層の壁にアーチ形の開口があります。ここは最"
                    "下層の入口です。"
                ),
            },
        },
        {
            "position": "0.65m 10.5m 2.217m",
            "normal": "0m 0m 1m",
            "label": {
                "vi": "Bảy tầng tháp",
                "en": "Seven storeys",
                "fr": "Sept étages",
                "zh": "七层塔身",
                "ko": "일곱 개의 층",
                "ja": "七つの層",
            },
            "body": {
                "vi": (
                    "Mỗi tầng hẹp và thấp hơn tầng bên dưới một chút, tạo cho ngọn tháp dáng thon "
                    "vút lên cao."
                ),
                "en": (
                    "Each storey is a little narrower and lower than the one beneath, which gives "
                    "the tower its slender, tapering outline."
                ),
                "fr": (
                    "Chaque étage est un peu plus étroit et plus bas que celui du dessous, ce qui "
                    "donne à la tour sa silhouette élancée."
                ),
                "zh": "每一层都比下一层略窄、略矮，使宝塔显得修长挺拔。",
                "ko": "각 층은 아래층보다 조금씩 좁고 낮아져, 탑이 가늘고 높게 솟아 보입니다.",
                "ja": "各層は下の層より少しずつ細く低くなり、塔にすらりとした姿を与えています。",
            },
        },
        {
            "position": "0m 19.97m 0.36m",
            "normal": "0m 0m 1m",
            "label": {
                "vi": "Đỉnh tháp",
                "en": "The finial",
                "fr": "Le faîte",
                "zh": "塔刹",
                "ko": "탑 꼭대기",
                "ja": "塔の頂",
            },
            "body": {
                "vi": "Trên cùng là chóp tháp, cách mặt đất khoảng 21 mét.",
                "en": "A finial crowns the tower, about 21 metres above the ground.",
                "fr": "Un épi de faîtage couronne la tour, à environ 21 mètres du sol.",
                "zh": "塔顶的塔刹距离地面约21米。",
                "ko": "탑 꼭대기의 장식은 지면에서 약 21미터 높이에 있습니다.",
                "ja": "塔の頂に載る飾りは、地上約21メートルの高さにあります。",
            },
        },
    ],
}
