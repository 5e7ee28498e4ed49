"""Every write of the lifecycle, one class per operation, by area (as ``registry.actions``
and Wagtail's ``wagtail/actions/``). Each is an ``audit.actions.Action``: it checks the
permission and the reason, runs atomically, locks the rows it decides on and leaves a
history row carrying the user and the reason. Views, commands and the shell call the same
actions."""
