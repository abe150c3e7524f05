# AGI Tracker. `make run` serves the dashboard; `make test` runs every test.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DB      ?= data/tracker.duckdb
SEEDS   ?= seeds
PORT    ?= 8501
# The browser tests drive this Chromium (Debian's package); `make chromium` installs it.
CHROMIUM := /usr/bin/chromium

.PHONY: install run build test lint format clean chromium bench soak eval-real bench-extractor

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Every run brings the database up to date with seeds/: the build is incremental (unchanged
# articles are not read again), so this costs little. Exit code 3 means some files were
# skipped (the summary says which and why): the database is still built and served.
build: $(STAMP)
	$(BIN)/python -m etl build --seeds "$(SEEDS)" --db "$(DB)" || [ $$? -eq 3 ]

run: build
	$(BIN)/streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port $(PORT)

test: lint chromium
	$(BIN)/python -m pytest -q

# Throughput and latency at scale (20k articles, 1M facts); prints a table, writes bench/results.json.
bench: $(STAMP)
	$(BIN)/python -m bench.run

# Ten concurrent browser sessions against one server for two minutes (not part of `make test`).
soak: $(STAMP) chromium
	$(BIN)/python -m bench.soak

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Install Chromium for the browser tests when it is missing and we may (root or passwordless sudo);
# otherwise say how, and the browser tests skip (CI makes that skip an error).
chromium:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
		sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
			|| { sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }; \
	else \
		echo "make: $(CHROMIUM) is missing and installing it needs root: run 'sudo apt-get install -y chromium'." >&2; \
		echo "make: the browser tests (tests/test_e2e.py) will be skipped." >&2; \
	fi

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache tests/artifacts

# Scores extraction on the real articles gathered under data/real/ (not part of `make test`);
# with none gathered it says how to gather them.
eval-real: $(STAMP)
	$(BIN)/python -m bench.eval_real

# The full build of the bench corpus with this checkout's extractor and with an earlier commit's
# (a git worktree), side by side in one run, next to the raw scan. BASE=<commit> picks the other.
BASE ?= 479a4c2
bench-extractor: $(STAMP)
	$(BIN)/python -m bench.compare_extractor --against $(BASE)
