"""The page where users make and revoke their own API tokens (``/api/tokens/``)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from audit.actions import ActionError
from audit.forms import SafeTextMixin
from audit.models import ApiToken
from audit.tokens import DEFAULT_DAYS, MAX_DAYS, AddApiToken, RevokeApiToken


class TokenForm(SafeTextMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("What the token is for, e.g. the system "
                                                  "that uses it."))
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1,
                              max_value=MAX_DAYS, initial=DEFAULT_DAYS)
    read_only = forms.BooleanField(label=gettext_lazy("Read only"), required=False,
                                   help_text=gettext_lazy("The token can read but change "
                                                          "nothing."))


class TokenListView(View):
    """The user's own tokens, a form to make one, and the new secret, shown once."""

    template_name = "audit/api_tokens.html"

    def page(self, request, form, secret=None, status=200):
        tokens = ApiToken.objects.filter(user=request.user)
        return render(request, self.template_name, {
            "form": form, "tokens": tokens, "secret": secret,
            "breadcrumbs": [(_("API tokens"), None)],
        }, status=status)

    def get(self, request):
        return self.page(request, TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.page(request, form, status=400)
        data = form.cleaned_data
        try:
            token, secret = AddApiToken(request.user, data["name"], data["days"],
                                           data["read_only"]).execute()
        except ActionError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.page(request, form, status=400)
        # Shown on this answer only: the secret is not stored and cannot be shown again.
        return self.page(request, TokenForm(), secret=secret)


class TokenRevokeView(View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        RevokeApiToken(request.user, token).execute()
        messages.success(request, _("Revoked the token %(name)s.") % {"name": token.name})
        return redirect("api:tokens")
