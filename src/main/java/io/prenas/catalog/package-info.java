/**
 * The catalog: search spaces (built-in and registered), preferred tables, published models and the budget lookup;
 * entities, repositories and services. Never imports DJL.
 */
package io.prenas.catalog;
