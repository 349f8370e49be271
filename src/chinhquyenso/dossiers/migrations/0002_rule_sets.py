from datetime import date

from django.db import migrations


def seed(apps, schema_editor):
    RuleSet = apps.get_model("dossiers", "RuleSet")
    RuleSet.objects.update_or_create(
        code="legacy-2018",
        defaults={
            "name": "Nghị định 61/2018/NĐ-CP (đến 30/6/2025)",
            "legal_texts": "Nghị định 61/2018/NĐ-CP; Nghị định 107/2021/NĐ-CP; Thông tư 01/2018/TT-VPCP",
            "effective_from": date(2019, 1, 6),
            "effective_to": date(2025, 6, 30),
            "supplement_mode": "restart",
        },
    )
    RuleSet.objects.update_or_create(
        code="current-2025",
        defaults={
            "name": "Nghị định 118/2025/NĐ-CP (từ 01/7/2025)",
            "legal_texts": "Nghị định 118/2025/NĐ-CP (sửa đổi bởi Nghị định 367/2025/NĐ-CP); Thông tư 03/2025/TT-VPCP",
            "effective_from": date(2025, 7, 1),
            "effective_to": None,
            "supplement_mode": "restart",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
