/* A bare C-extension method for the Ruby benchmark: the cost of calling into any C extension. */
#include <ruby.h>

/* Does nothing but return a number, as the cheapest generated method returns one. */
static VALUE lode_bench_floor_zero(VALUE module) {
  (void)module;
  return INT2FIX(0);
}

void Init_lode_bench_floor(void) {
  VALUE module = rb_define_module("LodeBenchFloor");
  rb_define_singleton_method(module, "zero", lode_bench_floor_zero, 0);
}
