// jemalloc (Debian's libjemalloc-dev). Linking it into the `sluice` executable replaces the
// process's malloc/free, which every Swift object allocation goes through.
#include <jemalloc/jemalloc.h>
