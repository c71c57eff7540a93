// ldns/common.h falls back to `#define _Bool signed char` unless <stdbool.h> was seen first,
// which would import every ldns `bool` into Swift as Int8. The library itself is built with a
// real C99 bool (same size), so including stdbool.h first is both correct and ABI-compatible.
#include <stdbool.h>
#include <stdlib.h>
#include <ldns/ldns.h>
