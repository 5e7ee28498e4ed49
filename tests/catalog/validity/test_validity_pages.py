"""The validity check's pages: pasted text and each file type, a bad file, the result,
the list, the XLSX download, and another organization's check."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from catalog.models import ValidityCheck
from organizations.models import Organization
from organizations.rules import acting_in
from tests.catalog.validity.test_validity_rules import catalog  # noqa: F401  (fixture)

TEXT = "依据 GB/T 1.1-2009 和 GB／T 20000.1－2014，以及 DB65/T 3456—2012。"


def post(client, **data):
    return client.post(reverse("catalog:validity_check"), data,
                       HTTP_ACCEPT_LANGUAGE="en")


def docx_bytes(text):
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "GB/T 13016—2018"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(text):
    workbook = Workbook()
    workbook.active.append(["序号", text])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_bytes():
    from weasyprint import HTML

    return HTML(string="<p>GB/T 1.1-2009 GB/T 24421.2-2009</p>").write_pdf()


@pytest.mark.usefixtures("catalog")
def test_pasted_text_is_checked_and_kept(client_for, users):
    client = client_for("viewer")
    response = post(client, text=TEXT)
    check = ValidityCheck.objects.get()
    assert response.status_code == 302 and response.url == check.get_absolute_url()
    assert check.created_by == users["viewer"] and check.source == "text"
    page = client.get(check.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "GB／T 20000.1－2014" in page and "GB/T 20000.1—2014" in page
    assert "Superseded" in page and "→" in page and "GB/T 1.1—2020" in page
    assert "Not in the catalog" in page
    listing = client.get(reverse("catalog:validity_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert check.get_absolute_url() in listing.content.decode()


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize("kind", ["docx", "xlsx", "pdf"])
def test_each_file_type_is_read(client_for, kind):
    data = {"docx": lambda: docx_bytes(TEXT), "xlsx": lambda: xlsx_bytes(TEXT),
            "pdf": pdf_bytes}[kind]()
    response = post(client_for("viewer"),
                    file=SimpleUploadedFile(f"引用.{kind}", data))
    assert response.status_code == 302
    check = ValidityCheck.objects.get()
    assert check.source == "file" and check.file_name == f"引用.{kind}"
    numbers = [line["normalised"] for line in check.lines]
    assert "GB/T 1.1—2009" in numbers
    if kind == "docx":
        assert "GB/T 13016—2018" in numbers  # from the table


@pytest.mark.usefixtures("catalog")
@pytest.mark.parametrize("content", [b"not a document", b"PK\x03\x04broken", b"%PDF-1.4 x"])
def test_a_bad_file_is_refused_and_nothing_kept(client_for, content):
    response = post(client_for("viewer"), file=SimpleUploadedFile("a.docx", content))
    assert response.status_code == 200
    assert "Only DOCX, PDF and XLSX files" in response.content.decode()
    assert not ValidityCheck.objects.exists()


def test_nothing_to_check_is_refused(client_for):
    response = post(client_for("viewer"), text="  ")
    assert response.status_code == 200 and not ValidityCheck.objects.exists()


@pytest.mark.usefixtures("catalog")
def test_the_xlsx_has_one_row_per_number(client_for):
    client = client_for("viewer")
    post(client, text=TEXT)
    check = ValidityCheck.objects.get()
    response = client.get(reverse("catalog:validity_xlsx", args=[check.pk]),
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:4] == ("As written", "Normalised", "Title", "Status")
    assert [row[0] for row in rows[2:]] == ["GB/T 1.1-2009", "GB／T 20000.1－2014",
                                            "DB65/T 3456—2012"]
    assert rows[2][3] == "Superseded" and rows[2][5] == "GB/T 1.1—2020"
    assert rows[4][3] == "Not in the catalog"


def test_without_a_role_the_page_is_refused(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("catalog:validity_check"))
    assert response.status_code == 302 and response.url == reverse("accounts:no_role")


@pytest.mark.usefixtures("catalog")
def test_another_organization_s_check_is_not_found(client_for):
    client = client_for("viewer")
    post(client, text=TEXT)
    check = ValidityCheck.objects.get()
    other = Organization.objects.create(code="OTHER", name="另一单位")
    ValidityCheck.objects.filter(pk=check.pk).update(organization=other)
    for name in ("catalog:validity_detail", "catalog:validity_xlsx"):
        assert client.get(reverse(name, args=[check.pk])).status_code == 404
    with acting_in(other):
        assert ValidityCheck.objects.filter(pk=check.pk).exists()
    assert check.get_absolute_url() not in client.get(
        reverse("catalog:validity_list")).content.decode()
