/**
 * Registry authentication, internal to the module (not exported): challenges, least-privilege
 * scopes, token requests and the token cache. A {@code Repository} answers challenges by itself
 * with the credentials of its {@code CredentialProvider}; users configure credentials ({@code
 * dev.stevedore.content.remote.credentials}), never this machinery.
 */
@NullMarked
package dev.stevedore.content.remote.auth;

import org.jspecify.annotations.NullMarked;
