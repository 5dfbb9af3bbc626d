# sctp-ng front door. `make` builds, `make check` runs every test suite,
# `make demo` runs the demo, `make bench` the benchmarks. Each step installs
# the Debian packages it needs first (as root) or says which are missing.
# SANITIZE=1 builds and tests with ASan+UBSan in a separate build folder.

SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD ?= build-asan
# Optimised, so that the long simulations finish in time; still -g.
CMAKE_FLAGS += -DSCTPNG_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
else
BUILD ?= build
CMAKE_FLAGS += -DCMAKE_BUILD_TYPE=RelWithDebInfo
endif
JOBS ?= $(shell nproc)

.PHONY: all deps configure check demo bench fuzz format clean

all: configure
	cmake --build $(BUILD) -j$(JOBS)

deps:
	scripts/deps.sh build

configure: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

check: all
	scripts/deps.sh
	tests/check.sh $(BUILD) $(SUITES)

demo: all
	scripts/deps.sh vm
	scripts/demo.sh $(BUILD)

bench: all
	scripts/deps.sh vm interop
	bench/run.sh $(BUILD)

fuzz:
	scripts/deps.sh build fuzz
	fuzz/run.sh $(FUZZ_SECONDS)

format:
	git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf build build-asan build-fuzz
