#include "case_clocks.h"
