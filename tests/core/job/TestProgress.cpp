#include <gtest/gtest.h>

#include "core/job/Progress.h"

using namespace harmonia;

TEST(Progress, SubProgressMapsOntoParentRange) {
  AtomicProgress parent;
  SubProgress sub(parent, 0.25, 0.75);
  sub.report(0.5);
  EXPECT_DOUBLE_EQ(parent.fraction(), 0.5);
  sub.report(1.0);
  EXPECT_DOUBLE_EQ(parent.fraction(), 0.75);
}

TEST(Progress, CancelPropagatesThroughSubProgress) {
  AtomicProgress parent;
  SubProgress sub(parent, 0.0, 1.0);
  EXPECT_NO_THROW(sub.throwIfCancelled());
  parent.requestCancel();
  EXPECT_TRUE(sub.cancelRequested());
  EXPECT_THROW(sub.throwIfCancelled(), Cancelled);
  EXPECT_FALSE(noProgress().cancelRequested());
}
