"""Demo counties for the user guide's screenshots of clause 6.2.4 (a docs tool, not a test).

Run it on a scratch database seeded as `make run` seeds one, never on a real registry:

    export DATABASE_URL=sqlite:////tmp/demo-counties.sqlite3
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_system
    .venv/bin/python manage.py create_demo_users
    .venv/bin/python manage.py shell < docs/tools/demo_counties.py

The prefecture publishes its system as a template; 昌吉市, 阜康市 and 木垒县 derive theirs
from it; 昌吉市's office (cjoffice / cjoffice-demo-2026) removes, adds, renames and places;
阜康市 removes one category; then a 2027 edition of the prefecture's template (one aspect
renamed, one added, one removed) proposes its changes to the three counties.
"""

import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from catalog.models import Standard
from organizations.actions import AddMembership
from organizations.models import Organization
from organizations.rules import acting_in
from registry.actions.templates import PublishTemplate
from registry.actions.tree import AddNode, ChangeNode, DeleteNode, PlaceStandard
from registry.models import Node

EDITION = "昌吉州社会保险标准体系 2026版"
User = get_user_model()
admin = User.objects.get(username="admin")
prefecture = Organization.objects.get(code="652300")
with acting_in(prefecture):
    PublishTemplate(admin, prefecture, EDITION, "昌吉州社会保险服务标准体系",
                    reason="供各县市派生").execute()
for code, name, en in [("652301", "昌吉市社会保险中心", "Changji City Social Insurance Center"),
                       ("652302", "阜康市社会保险中心", "Fukang City Social Insurance Center"),
                       ("652328", "木垒县社会保险中心", "Mulei County Social Insurance Center")]:
    call_command("create_organization", "--name", name, "--name-en", en, "--code", code,
                 "--parent", "652300")
    call_command("derive_system", "--organization", code, "--template", EDITION)
changji = Organization.objects.get(code="652301")
office = User.objects.create_user("cjoffice", password="cjoffice-demo-2026",
                                  first_name="陈办公")
with acting_in(changji):
    AddMembership(admin, office, changji, "office", "昌吉市标准化工作人员").execute()
    node = Node.objects.get(owner=changji, code="202")
    DeleteNode(office, node, "本中心不经办机关事业单位社会保险", why="not_applicable").execute()
    DeleteNode(office, Node.objects.get(owner=changji, code="303-05"), "需求管理由州局统一承担",
               why="other_agency").execute()
    AddNode(office, Node.objects.get(owner=changji, code="200"), "被征地农民社会保险",
            "本市被征地农民参保工作需要").execute()
    ChangeNode(office, Node.objects.get(owner=changji, code="304-09"), "按本市报表名称",
               name="社会保险统计报表管理").execute()
    PlaceStandard(office, Node.objects.get(owner=changji, code="208-01"),
                  Standard.objects.get(number="GB/T 32621"), "按经办业务流程总则办理").execute()
fukang = Organization.objects.get(code="652302")
with acting_in(fukang):
    DeleteNode(admin, Node.objects.get(owner=fukang, code="205"), "本市无工程建设项目参保业务",
               why="not_applicable").execute()

data = json.loads((Path(settings.BASE_DIR) / "fixtures" / "appendix_a.json").read_text("utf-8"))
system = data["system"]
system["children"][1]["children"][8]["name"] = "社会保障卡及电子社保卡服务"
system["children"][2]["children"][3]["children"].append({"name": "社会保险基金风险防控"})
system["children"][2]["children"][2]["children"].pop(2)
with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as edition:
    json.dump(data, edition, ensure_ascii=False)
    edition.flush()
    call_command("load_template", "--file", edition.name, "--edition",
                 "昌吉州社会保险标准体系 2027版", "--previous", EDITION)
