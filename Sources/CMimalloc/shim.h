// mimalloc (Debian's libmimalloc-dev). Linking it into the `sluice` executable replaces the
// process's malloc/free, which every Swift object allocation goes through.
#include <mimalloc.h>
