"""The validity check's form: pasted text or an uploaded DOCX, PDF or XLSX, read to text.

The file's type is told by its content, not its name; a file that cannot be read is
refused with a message and nothing is kept."""

import io
import zipfile

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.forms import SafeTextMixin

MAX_SIZE = 20 * 1024 * 1024
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a DOCX or XLSX larger than this unpacked is a bomb
MAX_TEXT = 2_000_000  # characters read from a file; a reference list is far shorter

BAD_FILE = _("Only DOCX, PDF and XLSX files can be checked; this file's content is none of "
             "them, or it cannot be read.")


def file_kind(data: bytes) -> str:
    """``docx``, ``xlsx`` or ``pdf`` from the bytes; raises ValidationError otherwise."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                    raise forms.ValidationError(BAD_FILE)
        except zipfile.BadZipFile as exc:
            raise forms.ValidationError(BAD_FILE) from exc
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    raise forms.ValidationError(BAD_FILE)


def file_text(data: bytes) -> str:
    """The text of a DOCX (paragraphs and table cells), PDF (each page's text) or XLSX
    (every cell), read from ``data``."""
    kind = file_kind(data)
    try:
        if kind == "docx":
            text = _docx_text(data)
        elif kind == "pdf":
            text = _pdf_text(data)
        else:
            text = _xlsx_text(data)
    except Exception as exc:  # a damaged file: any reader error means "cannot be read"
        raise forms.ValidationError(BAD_FILE) from exc
    return text[:MAX_TEXT]


def _docx_text(data):
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _pdf_text(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _xlsx_text(data):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts = []
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                parts.extend(str(value) for value in row if value is not None)
    finally:
        workbook.close()
    return "\n".join(parts)


class ValidityForm(SafeTextMixin, forms.Form):
    text = forms.CharField(
        label=_("Text"), required=False, max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Paste a reference list or a whole text: every standard number in it is "
                    "checked."))
    file = forms.FileField(
        label=_("Or a file"), required=False,
        help_text=_("A DOCX, PDF or XLSX file of at most 20 MB."))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        if upload.size > MAX_SIZE:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        upload.seek(0)
        self.cleaned_data["file_text"] = file_text(upload.read())
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("text", "").strip() and not cleaned.get("file"):
            raise forms.ValidationError(_("Paste a text or choose a file."))
        return cleaned

    @property
    def source(self):
        return "file" if self.cleaned_data.get("file") else "text"

    @property
    def checked_text(self):
        return self.cleaned_data.get("file_text") or self.cleaned_data.get("text", "")
