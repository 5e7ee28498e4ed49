"""The audit log's user filter lists people as the rows name them, with the user name."""

from django.urls import reverse

from tests.factories import UserFactory


def test_the_user_filter_shows_display_name_and_username(seeded, client_for):
    UserFactory(username="zhangwei", first_name="张伟", role="office")
    page = client_for("admin").get(reverse("audit:logentry_list")).content.decode()
    assert ">张伟 · zhangwei</option>" in page
    assert ">admin</option>" in page  # no full name: the user name alone
