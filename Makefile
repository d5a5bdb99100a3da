# 履责 Lvze — the commands a newcomer runs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LVZE := $(BIN)/lvze
export LVZE_DATA_DIR ?= $(CURDIR)/var

.PHONY: setup run test test-sqlite test-postgres lint bench loadtest clean

$(BIN)/activate: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(BIN)/activate

setup: $(BIN)/activate

run: setup
	$(LVZE) migrate --noinput -v0
	$(LVZE) demo --if-empty
	@echo "打开 http://127.0.0.1:8000/ ，用上面的演示账号登录。提醒引擎与 Web 服务一同运行。"
	$(LVZE) remind --loop --interval 300 & remind_pid=$$!; \
	trap 'kill -TERM $$remind_pid 2>/dev/null' EXIT INT TERM; \
	$(LVZE) serve --host 127.0.0.1 --port 8000

test: setup lint
	scripts/test-all.sh

test-sqlite: setup
	$(BIN)/pytest

test-postgres: setup
	scripts/with-postgres.sh $(BIN)/pytest

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var

bench: setup
	$(BIN)/python bench/run.py; rc=$$?; $(BIN)/python bench/load.py || rc=1; exit $$rc

loadtest: setup
	$(BIN)/python bench/load.py
