/** Machinery shared between Stevedore's own modules. Not API: may change without notice. */
@NullMarked
package dev.stevedore.content.internal;

import org.jspecify.annotations.NullMarked;
