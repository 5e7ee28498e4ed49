# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
# Two workers: the machine has two cores.
PYTEST_ARGS ?= -n 2
PORT   ?= 8000
APT_PACKAGES := fonts-noto-cjk chromium chromium-driver gettext poppler-utils redis-server socat
# Which file proves each Debian package is present.
APT_PROBES := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/bin/chromium /usr/bin/chromedriver /usr/bin/msgfmt /usr/bin/pdftotext /usr/bin/redis-server /usr/bin/socat

.PHONY: run test install system-packages redis venv migrate seed lint messages clean bench

# The web server and the Celery workers together (docs/deployment.md): one for the default
# queue with beat's daily runs in it, one for PDF layout. Ctrl-C stops them all.
run: install redis migrate seed
	@trap 'kill $$pids 2>/dev/null; wait' EXIT INT TERM; \
	$(VENV)/bin/celery -A registry worker -Q celery --concurrency 2 -B \
	  -s var/celerybeat-schedule -n default@%h --loglevel INFO & pids="$$!"; \
	$(VENV)/bin/celery -A registry worker -Q pdf --pool solo -n pdf@%h --loglevel INFO & \
	pids="$$pids $$!"; \
	$(PY) manage.py runserver $(HOST):$(PORT) & pids="$$pids $$!"; \
	wait

# The broker: Redis on 127.0.0.1:6379, started here if nothing answers there.
redis: system-packages
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
	  echo "Starting redis-server on 127.0.0.1:6379"; \
	  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no; \
	  for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli ping >/dev/null 2>&1 && break; sleep 0.5; done; }

test: install redis
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

install: system-packages $(STAMP) locale/zh_Hans/LC_MESSAGES/django.mo

# Compiled catalogues are committed; rebuild them when a .po file is newer.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	msgfmt --check -o $@ $<

# Debian packages needed for PDF export (CJK fonts), browser tests, translations and the
# broker (Redis), and socat for the multi-host test (tests/lifecycle/test_cluster.py).
system-packages:
	@missing=""; set -- $(APT_PACKAGES); \
	for probe in $(APT_PROBES); do \
	  [ -e "$$probe" ] || missing="$$missing $$1"; shift; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing"; \
	    echo "Install them with: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test]'
	touch $(STAMP)

migrate: install
	$(PY) manage.py migrate --no-input
	@# A database from before the history key: verify its chains as written, then sign them
	@# (listed first; a chain that was signed once is refused, never signed again).
	$(PY) manage.py sign_history --no-input --reason "make run: chains signed with the local history key" \
	  || echo "The history has problems (listed above): nothing was signed. See docs/deployment.md."

seed: migrate
	$(PY) manage.py seed_system
	$(PY) manage.py create_demo_users
	$(PY) manage.py create_demo_records
	@echo "Serving on http://$(HOST):$(PORT)/  (stop with Ctrl-C)"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Rebuild the translation catalogues after changing strings.
messages: install
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore '.venv/*' --ignore 'staticfiles/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

bench: install
	$(PY) bench/tree_page.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
