"""The measures in force that restrict approvals, as the ministry announced them. Sources:
`docs/domain.md` of the project's shared documents ("Exchange approvals", "Humanitarian aid",
"Gaeseong Industrial Complex") and the ministry's briefing of 20 May 2020 (Hankyoreh,
2020-05-20: the 5·24 measures "had largely lost their effect"). A supervisor edits the table;
this migration only writes the history once."""

from django.db import migrations

MEASURES = [
    {
        "code": "2010-05-24",
        "name_ko": "5·24 조치",
        "name_en": "The measures of 24 May 2010",
        "summary_ko": (
            "천안함 피격 후 조치: 개성공단을 제외한 남북 교역 중단, 개성공단·금강산 외 방북 불허, "
            "대북 신규 투자 불허, 인도적 지원(영유아 등 취약계층)을 제외한 지원 보류. "
            "통일부는 2020년 5월 20일 정례 브리핑에서 실효성이 상당 부분 상실되었다고 밝혔다 "
            "(공식 해제는 아님): 이 표에서는 그 전날까지 적용한다."
        ),
        "summary_en": (
            "After the Cheonan sinking: trade stopped except the Gaeseong complex, no visits to "
            "the North except Gaeseong and Geumgangsan, no new investment, aid only to "
            "vulnerable groups such as infants. On 20 May 2020 the ministry said the measures "
            "had largely lost their effect (they were not formally lifted): this table applies "
            "them until the day before."
        ),
        "source": "통일부 발표 2010-05-24; 통일부 정례 브리핑 2020-05-20",
        "starts_on": "2010-05-24",
        "ends_on": "2020-05-19",
        "rules": [
            ("visit", "forbid", "except_gaeseong_geumgangsan", False),
            ("goods", "forbid", "except_gaeseong", True),
            ("project", "forbid", "anywhere", False),
        ],
    },
    {
        "code": "2010-06-11",
        "name_ko": "반출입 개별 승인 고시 (2010. 6. 11.)",
        "name_en": "Notice of 11 June 2010: every item approved before",
        "summary_ko": (
            "모든 물품의 반출입은 품목별로 사전 승인을 받는다. 개성공단과 금강산 사업의 "
            "포괄 승인은 유지한다."
        ),
        "summary_en": (
            "Every item carried in or out needs its own prior approval; the comprehensive "
            "approval of the Gaeseong and Geumgangsan operations is kept."
        ),
        "source": "통일부 고시 2010-06-11",
        "starts_on": "2010-06-11",
        "ends_on": None,
        "rules": [("goods", "itemise", "except_gaeseong_geumgangsan", False)],
    },
    {
        "code": "2010-11-23",
        "name_ko": "연평도 포격 후 대북 지원 중단",
        "name_en": "Aid halted after the Yeonpyeong shelling",
        "summary_ko": (
            "2010년 11월 23일 연평도 포격 후 취약계층 지원까지 중단; 민간단체 지원은 "
            "2011년 3월 31일 재개."
        ),
        "summary_en": (
            "After the shelling of Yeonpyeong on 23 November 2010 even aid to vulnerable "
            "groups was halted; NGOs' aid resumed on 31 March 2011."
        ),
        "source": "통일부 (domain.md, Humanitarian aid)",
        "starts_on": "2010-11-23",
        "ends_on": "2011-03-30",
        "rules": [("goods", "forbid", "except_gaeseong", False)],
    },
    {
        "code": "2016-02-10",
        "name_ko": "개성공단 가동 전면 중단 (2016. 2. 10.)",
        "name_en": "Gaeseong complex suspended (10 February 2016)",
        "summary_ko": (
            "정부는 2016년 2월 10일 개성공단 가동의 전면 중단을 발표했다. 개성공단 방문, 차량 "
            "운행, 출입 계획, 물품 반출입, 투자는 승인하지 않는다."
        ),
        "summary_en": (
            "On 10 February 2016 the government announced the complete suspension of the "
            "Gaeseong complex: no visits, vehicles, crossings, goods or investment there."
        ),
        "source": "통일부 발표 2016-02-10 (domain.md, Gaeseong Industrial Complex)",
        "starts_on": "2016-02-10",
        "ends_on": None,
        "rules": [
            (kind, "forbid", "gaeseong", False)
            for kind in ("visit", "vehicle", "crossing", "goods", "project")
        ],
    },
]


def load(apps, schema_editor):
    PolicyMeasure = apps.get_model("permits", "PolicyMeasure")
    PolicyRule = apps.get_model("permits", "PolicyRule")
    for spec in MEASURES:
        fields = {k: v for k, v in spec.items() if k != "rules"}
        measure, _ = PolicyMeasure.objects.update_or_create(code=fields.pop("code"), defaults=fields)
        measure.rules.all().delete()
        for kind, effect, where, exempt in spec["rules"]:
            PolicyRule.objects.create(
                measure=measure, kind=kind, effect=effect, where=where, humanitarian_exempt=exempt
            )


def unload(apps, schema_editor):
    apps.get_model("permits", "PolicyMeasure").objects.filter(
        code__in=[m["code"] for m in MEASURES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("permits", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
