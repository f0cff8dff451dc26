#include "case_rules.h"
