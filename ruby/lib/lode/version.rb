# frozen_string_literal: true

# The gem's version, in a file of its own for the gemspec to read without loading the extension.
module Lode
  # The gem's version: the version of Lode (and of its bridge, lode-ffi) it was generated from.
  VERSION = "0.2.0"
end
