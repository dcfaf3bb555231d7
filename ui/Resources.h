#pragma once
// Registers the Qt resources (icons, demo photographs) compiled into the
// static harmonia_ui library; idempotent.

namespace harmonia {

/// Makes ":/harmonia/..." resources available. Called by MainWindow.
void initResources();

}  // namespace harmonia
