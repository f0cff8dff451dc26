#include "complaint_policy.h"
