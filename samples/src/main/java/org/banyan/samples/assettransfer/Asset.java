package org.banyan.samples.assettransfer;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One asset as stored in the world state, in the JSON form of Fabric's asset-transfer-basic sample
 * ({@code {"AppraisedValue":..,"Color":..,"ID":..,"Owner":..,"Size":..}}, keys sorted so every endorser writes
 * the same bytes).
 */
public record Asset(@JsonProperty("ID") String id,
                    @JsonProperty("Color") String color,
                    @JsonProperty("Size") int size,
                    @JsonProperty("Owner") String owner,
                    @JsonProperty("AppraisedValue") int appraisedValue) {

    /** The same asset with another owner. */
    public Asset withOwner(String newOwner) {
        return new Asset(id, color, size, newOwner, appraisedValue);
    }
}
