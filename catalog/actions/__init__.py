"""Every write of the catalog, by area, each an ``audit.actions.Action`` (most of them an
``audit.actions.SaveInstance``): the permission and the reason are checked first, the change
runs in one transaction, and every row it writes carries the user and the reason. The pages,
the API, the admin, the shell and other apps call the same actions."""
