/**
 * Registry authentication: challenges, least-privilege scopes, token requests and the token cache.
 * Most users never touch this package: a {@code Repository} answers challenges by itself with the
 * credentials of its {@code CredentialProvider}.
 */
@NullMarked
package dev.stevedore.content.remote.auth;

import org.jspecify.annotations.NullMarked;
