# tapir: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
BUILD ?= build
PREFIX ?= /usr/local
CONFIG ?= etc/demo.toml

RELEASE := $(BUILD)/release
ASAN := $(BUILD)/asan
FUZZ := $(BUILD)/fuzz

.PHONY: all deps build run tour test lint unit fuzz-smoke fuzz bench install clean format

all: build

deps:
	@scripts/install-deps.sh --quiet

# Optimised build: what `make run`, `make bench` and `make install` use.
build: deps
	@cmake -S . -B $(RELEASE) -G Ninja -DCMAKE_BUILD_TYPE=Release -DTAPIR_TESTS=OFF \
	  -DCMAKE_INSTALL_PREFIX=$(PREFIX) > /dev/null
	@cmake --build $(RELEASE) -j $(JOBS)

# The main job: tapird serving the demo switch in the foreground (Ctrl-C
# stops it); it prints where to reach it.
run: build
	$(RELEASE)/bin/tapird --config $(CONFIG)

# A walk through the session operations on the demo switch.
tour: build
	$(RELEASE)/bin/tapird --config $(CONFIG) --tour

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, then
# every fuzz target over its seed corpus.
test: deps lint unit fuzz-smoke

lint:
	@scripts/lint.sh

unit:
	@cmake -S . -B $(ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTAPIR_SANITIZE=ON \
	  -DTAPIR_BENCH=OFF > /dev/null
	@cmake --build $(ASAN) -j $(JOBS)
	@cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS)

$(FUZZ)/build.ninja:
	@cmake -S . -B $(FUZZ) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTAPIR_FUZZ=ON \
	  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 > /dev/null

fuzz-smoke: $(FUZZ)/build.ninja
	@cmake --build $(FUZZ) -j $(JOBS) --target fuzz_all
	@scripts/fuzz.sh $(FUZZ) smoke

# Longer fuzzing runs, by hand: make fuzz FUZZ_RUNS=1000000
fuzz: $(FUZZ)/build.ninja
	@cmake --build $(FUZZ) -j $(JOBS) --target fuzz_all
	@scripts/fuzz.sh $(FUZZ) long

bench: deps
	@cmake -S . -B $(RELEASE) -G Ninja -DCMAKE_BUILD_TYPE=Release -DTAPIR_TESTS=OFF \
	  -DTAPIR_BENCH=ON > /dev/null
	@cmake --build $(RELEASE) -j $(JOBS)
	@scripts/bench.sh $(RELEASE)

install: build
	cmake --install $(RELEASE) --prefix $(PREFIX)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD)
