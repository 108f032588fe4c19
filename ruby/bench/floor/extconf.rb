# frozen_string_literal: true

# Builds the bare C-extension method the Ruby benchmark compares the lode gem's calls with.
require "mkmf"

create_makefile("lode_bench_floor")
