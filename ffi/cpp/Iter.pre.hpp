// C++ idioms spliced before the lode::Iter class by the generator: the headers its range-for support needs.
// This lands inside `namespace lode`; standard headers must be included outside it.
} // namespace lode
#include <cstddef>
#include <iterator>
namespace lode {
