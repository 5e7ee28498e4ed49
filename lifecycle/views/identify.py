"""Check a document (clause 7.3.2): which frozen draft of which project a Word or PDF file
someone holds is, by its SHA-256 (``lifecycle.rules.proof``). The file is read and
forgotten: the page writes nothing."""

from django.shortcuts import render
from django.views import View

from audit.mixins import PermissionMixin
from lifecycle.forms.proof import IdentifyForm
from lifecycle.rules.proof import identify


class IdentifyDocumentView(PermissionMixin, View):
    # Who may read the projects and their texts may ask which draft a file is.
    permission_required = ("lifecycle.view_project", "texts.view_text")
    template_name = "lifecycle/drafts/identify.html"

    def get(self, request):
        return render(request, self.template_name, {"form": IdentifyForm()})

    def post(self, request):
        form = IdentifyForm(request.POST, request.FILES)
        found = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            upload.seek(0)
            found = identify(upload.read())
            form = IdentifyForm()
        return render(request, self.template_name, {"form": form, "found": found})
