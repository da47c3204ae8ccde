"""The demo tour seeded on first run: "Huế, the imperial city", as plain data.

``TOUR`` holds the tour's own fields and ``STOPS`` its five stops in order. Every text is a
mapping from locale to string, in all six interface languages. Each stop names its model in
:data:`tours.demo.monuments.MONUMENTS`; camera and hotspot strings use model-viewer's syntax
(``camera-orbit``, ``camera-target``, ``field-of-view``, ``data-position``, ``data-normal``),
and hotspot positions lie on the surface of the generated model.

Facts were checked against published sources; where sources disagree (who designed the
Trường Tiền bridge) the text says so rather than pick one.
"""

from __future__ import annotations

from tours.demo.schema import LOCALES, Camera, Hotspot, Localized, Stop, Tour
from tours.demo.stops import cao_dinh, khai_dinh, ngo_mon, phuoc_duyen, truong_tien

__all__ = ["LOCALES", "STOPS", "TOUR", "Camera", "Hotspot", "Localized", "Stop", "Tour"]

TOUR: Tour = {
    "slug": "hue-imperial-city",
    "default_locale": "vi",
    "latitude": 16.4698,
    "longitude": 107.5786,
    "title": {
        "vi": "Huế, cố đô triều Nguyễn",
        "en": "Huế, the imperial city",
        "fr": "Huế, la cité impériale",
        "zh": "顺化，昔日帝都",
        "ko": "후에, 황제의 도시",
        "ja": "フエ、皇帝の都",
    },
    "summary": {
        "vi": (
            "Năm điểm dừng trong Quần thể di tích Cố đô Huế, Di sản thế giới được UNESCO công "
            "nhận năm 1993: cổng Hoàng thành, tháp chùa Thiên Mụ, Cửu Đỉnh, cầu Trường Tiền bắc "
            "qua sông Hương và lăng vua Khải Định."
        ),
        "en": (
            "Five stops in the Complex of Huế Monuments, a UNESCO World Heritage site since 1993: "
            "the gate of the Imperial City, the tower of Thiên Mụ pagoda, the dynastic urns, the "
            "steel bridge over the Perfume River and the tomb of Emperor Khải Định."
        ),
        "fr": (
            "Cinq étapes dans l'ensemble de monuments de Huế, inscrit au patrimoine mondial de "
            "l'UNESCO en 1993 : la porte de la Cité impériale, la tour de la pagode Thiên Mụ, les "
            "urnes dynastiques, le pont d'acier sur la rivière des Parfums et le tombeau de "
            "l'empereur Khải Định."
        ),
        "zh": (
            "走访1993年列入联合国教科文组织《世界遗产名录》的顺化历史建筑群中的五处景点：皇城正"
            "门、天姥寺宝塔、九鼎、横跨香江的钢桥，以及启定帝的陵墓。"
        ),
        "ko": (
            "1993년 유네스코 세계유산으로 등재된 후에 기념물 복합지구의 다섯 곳을 둘러봅니다. 황성"
            "의 정문, 티엔무 사원의 탑, 응우옌 왕조의 구정, 흐엉강을 건너는 강철 다리, 그리고 카이"
            "딘 황제의 능입니다."
        ),
        "ja": (
            "1993年にユネスコ世界遺産に登録された「フエの建造物群」から五か所を巡ります。王宮の正"
            "門、ティエンムー寺の塔、九鼎、フォーン川に架かる鉄橋、そしてカイディン帝の陵です。"
        ),
    },
    "site_name": {
        "vi": "Quần thể di tích Cố đô Huế",
        "en": "Complex of Huế Monuments",
        "fr": "Ensemble de monuments de Huế",
        "zh": "顺化历史建筑群",
        "ko": "후에 기념물 복합지구",
        "ja": "フエの建造物群",
    },
}

STOPS: tuple[Stop, ...] = (
    ngo_mon.STOP,
    phuoc_duyen.STOP,
    cao_dinh.STOP,
    truong_tien.STOP,
    khai_dinh.STOP,
)
