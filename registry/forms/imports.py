from django import forms
from django.utils.translation import gettext_lazy

from audit.forms import SafeTextMixin


class ImportForm(SafeTextMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("System table (XLSX or CSV)"),
                           help_text=gettext_lazy("In the layout of the XLSX or CSV export, or "
                                                  "with the columns of the GB/T 13016-2018 "
                                                  "detail table."))
