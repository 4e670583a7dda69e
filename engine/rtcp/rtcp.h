// Umbrella header for the RTCP module (namespace rc::rtcp).
#pragma once

#include "engine/rtcp/feedback.h"
#include "engine/rtcp/reports.h"
#include "engine/rtcp/rtcp_header.h"
#include "engine/rtcp/sdes_bye.h"
#include "engine/rtcp/transport_feedback.h"
#include "engine/rtcp/transport_feedback_builder.h"
