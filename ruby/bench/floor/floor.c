/* A bare C-extension method for the Ruby benchmark: the cost of calling into any C extension. */
#include <ruby.h>

/* Does nothing but return a number, as the cheapest generated method returns one. */
static VALUE lode_bench_floor_zero(VALUE module) {
  (void)module;
  return INT2FIX(0);
}

/* Called once at the end of each phase: `cargo tools bench --instructions` has callgrind dump its
 * counters each time this native function returns, which is how it splits an interpreter's run
 * into phases. Never inlined, so that callgrind sees it. */
__attribute__((noinline)) static VALUE lode_bench_floor_phase_done(VALUE module) {
  (void)module;
  return Qnil;
}

void Init_lode_bench_floor(void) {
  VALUE module = rb_define_module("LodeBenchFloor");
  rb_define_singleton_method(module, "zero", lode_bench_floor_zero, 0);
  rb_define_singleton_method(module, "phase_done", lode_bench_floor_phase_done, 0);
}
