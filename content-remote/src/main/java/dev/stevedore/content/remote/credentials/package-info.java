/**
 * Registry credentials. Most users need {@link
 * dev.stevedore.content.remote.credentials.DockerConfigStore#openDefault()} (what {@code docker
 * login} saved) or {@link dev.stevedore.content.remote.credentials.StaticCredentials} (a username
 * and password from a secret).
 */
@NullMarked
package dev.stevedore.content.remote.credentials;

import org.jspecify.annotations.NullMarked;
