# AGI Tracker. `make run` serves the dashboard; `make test` runs every test.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DB      ?= data/tracker.duckdb
SEEDS   ?= seeds
PORT    ?= 8501

.PHONY: install run build test lint format clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Build the database from seeds/ when it is missing or older than any article.
$(DB): $(STAMP) $(wildcard $(SEEDS)/*)
	$(BIN)/python -m etl build --seeds $(SEEDS) --db $(DB)

build: $(STAMP)
	$(BIN)/python -m etl build --seeds $(SEEDS) --db $(DB)

run: $(DB)
	$(BIN)/streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port $(PORT)

test: lint
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache tests/artifacts
