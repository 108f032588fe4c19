# frozen_string_literal: true

# Configures the build of lode_ext, the gem's C extension (generated from Lode's bridge), which
# links liblode statically, so that the built extension needs no Lode library at run time.
#
# liblode.a comes from, in order: --with-lode-lib=DIR, $LODE_LIB_DIR, the Lode repository this
# gem sits in (target/release, built with `cargo build --release -p lode-ffi`). Set
# LODE_EXTRA_CFLAGS to add compiler flags (the tests add -Werror).
require "mkmf"

repository_build = File.expand_path("../../../target/release", __dir__)
lib_dir = with_config("lode-lib") || ENV.fetch("LODE_LIB_DIR", nil) || repository_build
liblode = File.join(lib_dir, "liblode.a")
unless File.file?(liblode)
  abort <<~MESSAGE
    lode: #{liblode} not found. Build it with `cargo build --release -p lode-ffi` in the Lode
    repository, or point LODE_LIB_DIR (or --with-lode-lib) at the directory holding liblode.a.
  MESSAGE
end

$INCFLAGS << " -I$(srcdir)/include"
# Ruby's headers as system headers: their own code is not clean under -Wextra.
%w[rubyarchhdrdir rubyhdrdir].each { |dir| $CPPFLAGS << " -isystem #{RbConfig::CONFIG[dir]}" }
# Ruby's own flags silence some of -Wextra; the generated C is clean under all of it.
$CFLAGS << " -Wall -Wextra -Wunused-parameter -Wmissing-field-initializers -Wcast-function-type"
# A function Ruby declares but does not export would only fail when the extension loads.
$CFLAGS << " -Werror=implicit-function-declaration"
$CFLAGS << " #{ENV["LODE_EXTRA_CFLAGS"]}" if ENV["LODE_EXTRA_CFLAGS"]
$LOCAL_LIBS << " #{liblode}"
# What Rust's standard library needs from the system.
%w[pthread dl m].each { |lib| have_library(lib) }
# liblode's symbols stay private to the extension: two extensions linking different Rust
# libraries must not see each other's.
exclude = "-Wl,--exclude-libs,ALL"
$DLDFLAGS << " #{exclude}" if try_link("int main(void) { return 0; }", exclude)

abort "lode: the C compiler cannot find ruby.h (Debian: apt-get install ruby-dev)" unless have_header("ruby.h")

create_makefile("lode/lode_ext")
